import Foundation

/// How stores keep engine values as JSON text: sorted keys, dates as milliseconds since 1970
/// (exact round trips). Used by the SQLite and PostgreSQL stores alike.
package enum StoredJSON {
    /// `value` as stored JSON text.
    package static func text(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        encoder.dateEncodingStrategy = .millisecondsSince1970
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    /// The value of stored JSON `text`.
    package static func value<Value: Decodable>(_ type: Value.Type, _ text: String) throws -> Value {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .millisecondsSince1970
        return try decoder.decode(type, from: Data(text.utf8))
    }
}
