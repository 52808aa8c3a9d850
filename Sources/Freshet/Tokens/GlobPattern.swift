/// A name pattern of a token's allow-list: `*` stands for any run of characters (also none);
/// every other character stands for itself (case-sensitive).
package struct GlobPattern: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The pattern as written.
    package let text: String

    package init(_ text: String) {
        self.text = text
    }

    package init(from decoder: any Decoder) throws {
        text = try decoder.singleValueContainer().decode(String.self)
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(text)
    }

    package var description: String { text }

    /// Whether the pattern matches every value (it is only `*`s), so also one Freshet does not know.
    package var matchesEverything: Bool { !text.isEmpty && text.allSatisfy { $0 == "*" } }

    /// Whether the whole of `value` matches the pattern.
    package func matches(_ value: String) -> Bool {
        let parts = text.split(separator: "*", omittingEmptySubsequences: false).map { Array($0.unicodeScalars) }
        let value = Array(value.unicodeScalars)
        guard parts.count > 1 else { return parts[0] == value }
        // Literal head and tail anchor the ends; the middle parts are found left to right.
        let head = parts[0], tail = parts[parts.count - 1]
        guard value.count >= head.count + tail.count,
            value.starts(with: head), value.suffix(tail.count).elementsEqual(tail)
        else { return false }
        var position = head.count
        let end = value.count - tail.count
        for part in parts.dropFirst().dropLast() where !part.isEmpty {
            guard let found = Self.find(part, in: value, from: position, before: end) else { return false }
            position = found + part.count
        }
        return true
    }

    private static func find(_ part: [Unicode.Scalar], in value: [Unicode.Scalar], from start: Int, before end: Int) -> Int? {
        guard end - start >= part.count else { return nil }
        for index in start...(end - part.count) where value[index..<(index + part.count)].elementsEqual(part) {
            return index
        }
        return nil
    }
}
