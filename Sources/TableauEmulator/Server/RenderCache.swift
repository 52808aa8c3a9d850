import Synchronization

/// Rendered list items, reused across requests: a page of 100 workbooks is then 100 string
/// appends instead of 100 renderings. Keys carry the item's revision, the format, the host
/// (which appears in `webpageUrl`) and the field selection, so a stale fragment is never served.
final class RenderCache: Sendable {
    private let storage = Mutex<[String: String]>([:])
    /// Entries kept before the cache is emptied and refilled.
    private let limit: Int

    init(limit: Int = 200_000) {
        self.limit = limit
    }

    /// The element for `key`, rendered once in JSON or XML by `make`.
    func element(_ name: String, key: String, json: Bool, make: () -> Element) -> Element {
        let fullKey = (json ? "j|" : "x|") + key
        if let text = storage.withLock({ $0[fullKey] }) { return .prerendered(name, text) }
        var text = ""
        let element = make()
        if json {
            JSONRendering.writeValue(element, into: &text)
        } else {
            XMLRendering.write(element, to: &text)
        }
        storage.withLock { cache in
            if cache.count >= limit { cache.removeAll(keepingCapacity: true) }
            cache[fullKey] = text
        }
        return .prerendered(name, text)
    }
}
