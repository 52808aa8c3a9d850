import Foundation

/// Remembers, for a few seconds, which items a target resolved to on a connection: a burst of
/// requests for the same target (a pipeline fan-out, retries) asks Tableau once, not once per request.
actor ResolutionCache {
    private let lifetime: TimeInterval
    private var entries: [String: (storedAt: Date, items: [RefreshableItem])] = [:]

    /// Entries live `lifetime` seconds.
    init(lifetime: TimeInterval) {
        self.lifetime = lifetime
    }

    func items(connection: String, target: RefreshTarget, now: Date) -> [RefreshableItem]? {
        guard let entry = entries[Self.key(connection, target)], now.timeIntervalSince(entry.storedAt) < lifetime else { return nil }
        return entry.items
    }

    func store(_ items: [RefreshableItem], connection: String, target: RefreshTarget, now: Date) {
        if entries.count > 10_000 { entries = entries.filter { now.timeIntervalSince($0.value.storedAt) < lifetime } }
        entries[Self.key(connection, target)] = (now, items)
    }

    private static func key(_ connection: String, _ target: RefreshTarget) -> String {
        "\(connection)\u{1F}\(target)"
    }
}
