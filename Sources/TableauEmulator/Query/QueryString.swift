/// A form-encoded query string: `+` is a space and `%XX` escapes are decoded, as Python's
/// `requests` (used by Tableau's own clients) encodes them.
struct QueryString: Sendable {
    private(set) var pairs: [(String, String)] = []

    init(_ raw: Substring?) {
        guard let raw, !raw.isEmpty else { return }
        for part in raw.split(separator: "&", omittingEmptySubsequences: true) {
            let pieces = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = Self.decode(pieces[0])
            let value = pieces.count > 1 ? Self.decode(pieces[1]) : ""
            pairs.append((key, value))
        }
    }

    /// The last value given for `key` (exact match first, then case-insensitive).
    subscript(_ key: String) -> String? {
        if let exact = pairs.last(where: { $0.0 == key }) { return exact.1 }
        let lower = key.lowercased()
        return pairs.last { $0.0.lowercased() == lower }?.1
    }

    static func decode(_ text: Substring) -> String {
        percentDecode(text, plusIsSpace: true)
    }

    /// Decodes `%XX` escapes; `+` becomes a space only in query strings (`plusIsSpace`), never in paths.
    static func percentDecode(_ text: Substring, plusIsSpace: Bool) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var iterator = Array(text.utf8)[...]
        while let byte = iterator.popFirst() {
            switch byte {
            case UInt8(ascii: "+") where plusIsSpace:
                bytes.append(UInt8(ascii: " "))
            case UInt8(ascii: "%"):
                if iterator.count >= 2, let high = hexValue(iterator[iterator.startIndex]),
                    let low = hexValue(iterator[iterator.startIndex + 1])
                {
                    bytes.append(high << 4 | low)
                    iterator = iterator.dropFirst(2)
                } else {
                    bytes.append(byte)
                }
            default:
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
