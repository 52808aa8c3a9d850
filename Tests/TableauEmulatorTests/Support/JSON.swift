import Foundation
import Testing

/// A parsed JSON value that tests can walk with subscripts; a missing key or index gives `.null`.
enum JSON: Decodable, Sendable, Equatable {
    case object([String: JSON])
    case array([JSON])
    case string(String)
    case number(Double)
    case bool(Bool)
    case null

    struct NotJSON: Error, CustomStringConvertible {
        var text: String
        var description: String { "not JSON: \(text.prefix(300))" }
    }

    static func parse(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> JSON {
        do {
            return try JSONDecoder().decode(JSON.self, from: Data(text.utf8))
        } catch {
            throw NotJSON(text: text)
        }
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSON].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSON].self))
        }
    }

    subscript(_ key: String) -> JSON {
        if case .object(let object) = self { return object[key] ?? .null }
        return .null
    }

    subscript(_ index: Int) -> JSON {
        if case .array(let array) = self, index >= 0, index < array.count { return array[index] }
        return .null
    }

    var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// A number, or a string holding one (Tableau sends many numbers as strings).
    var intValue: Int? {
        switch self {
        case .number(let value): Int(exactly: value)
        case .string(let value): Int(value)
        default: nil
        }
    }

    var boolValue: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    /// The items of an array (empty for anything else).
    var items: [JSON] {
        if case .array(let array) = self { return array }
        return []
    }

    var keys: Set<String> {
        if case .object(let object) = self { return Set(object.keys) }
        return []
    }

    var isNull: Bool { self == .null }

    /// Whether this is an empty object `{}`.
    var isEmptyObject: Bool { self == .object([:]) }
}
