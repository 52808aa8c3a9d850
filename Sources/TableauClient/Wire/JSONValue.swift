public import Foundation

/// A JSON value read leniently, the way Tableau's JSON needs (REST-API.md §15): numbers and
/// booleans may arrive as strings, lists as `{}`, a single object or a bare array.
public enum JSONValue: Sendable, Equatable {
    case object([String: JSONValue])
    case array([JSONValue])
    case string(String)
    case number(Double)
    case bool(Bool)
    case null

    /// Parses JSON bytes.
    public static func parse(_ bytes: some Collection<UInt8>) throws -> JSONValue {
        let object = try JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])
        return JSONValue(any: object)
    }

    init(any: Any) {
        switch any {
        case let dictionary as [String: Any]: self = .object(dictionary.mapValues(JSONValue.init(any:)))
        case let array as [Any]: self = .array(array.map(JSONValue.init(any:)))
        case let string as String: self = .string(string)
        case let number as NSNumber:
            if String(describing: type(of: number)).contains("Boolean") {
                self = .bool(number.boolValue)
            } else {
                self = .number(number.doubleValue)
            }
        default: self = .null
        }
    }

    /// The member `key` of an object.
    public subscript(_ key: String) -> JSONValue? {
        if case .object(let members) = self { return members[key] }
        return nil
    }

    /// Follows a dotted path: `"credentials.site.id"`.
    public func at(_ path: String) -> JSONValue? {
        var value: JSONValue? = self
        for key in path.split(separator: ".") { value = value?[String(key)] }
        return value
    }

    /// Text of a string, number or boolean.
    public var string: String? {
        switch self {
        case .string(let text): text
        case .number(let number): number.rounded() == number && abs(number) < 1e15 ? String(Int(number)) : String(number)
        case .bool(let flag): flag ? "true" : "false"
        default: nil
        }
    }

    /// An integer from a number or a numeric string.
    public var int: Int? {
        switch self {
        case .number(let number): Int(exactly: number.rounded())
        case .string(let text): Int(text.trimmingCharacters(in: .whitespaces))
        default: nil
        }
    }

    /// A boolean from `true`/`false` or their string forms.
    public var bool: Bool? {
        switch self {
        case .bool(let flag): flag
        case .string(let text): text.lowercased() == "true" ? true : (text.lowercased() == "false" ? false : nil)
        case .number(let number): number != 0
        default: nil
        }
    }

    /// A Tableau timestamp.
    public var date: Date? {
        string.flatMap(TableauTimestamp.parse)
    }

    /// The items of a Tableau list: `{"workbooks":{"workbook":[…]}}` read as `list("workbooks", "workbook")`.
    /// Accepts an array, a single object, an empty `{}`, or a bare array in place of the container.
    public func list(_ container: String, _ item: String) -> [JSONValue] {
        guard let holder = self[container] else { return [] }
        if case .array(let bare) = holder { return bare }
        guard let items = holder[item] else { return [] }
        switch items {
        case .array(let array): return array
        case .object: return [items]
        default: return []
        }
    }

    /// An array's elements, a single value as one element, or nothing.
    public var elements: [JSONValue] {
        switch self {
        case .array(let array): array
        case .null: []
        default: [self]
        }
    }
}

/// Tableau's timestamp format, `2020-05-13T20:23:45Z` (fractional seconds and offsets
/// tolerated on input). Parsed without a formatter per call: building an `ISO8601DateFormatter`
/// cost a fifth of the server's CPU while it polled jobs.
enum TableauTimestamp {
    private static let style = Date.ISO8601FormatStyle()

    static func parse(_ text: String) -> Date? {
        try? style.parse(text)
    }

    static func format(_ date: Date) -> String {
        style.format(date)
    }
}
