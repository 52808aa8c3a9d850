import Crypto
public import Foundation

/// Reads seed files and turns a ``Seed`` into the emulator's world, all or nothing.
public enum SeedLoader {
    /// Reads and validates a seed file (JSON).
    public static func load(file path: String) throws(SeedError) -> Seed {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw SeedError(file: path, place: "", problem: "cannot read the file (\(error.localizedDescription))")
        }
        return try decode(data, file: path)
    }

    /// Decodes seed JSON, rejecting unknown keys and wrong types with the place they occur.
    public static func decode(_ data: Data, file: String = "<seed>") throws(SeedError) -> Seed {
        let raw: Any
        do {
            raw = try JSONSerialization.jsonObject(with: data)
        } catch {
            throw SeedError(file: file, place: "", problem: "not valid JSON (\(jsonSyntaxProblem(error, data: data)))")
        }
        if let (place, key) = SeedSchema.unknownKey(in: raw) {
            throw SeedError(file: file, place: place.isEmpty ? "top level" : place, problem: "unknown key \"\(key)\"")
        }
        do {
            return try JSONDecoder().decode(Seed.self, from: data)
        } catch let error as DecodingError {
            throw describe(error, file: file)
        } catch {
            throw SeedError(file: file, place: "", problem: "\(error)")
        }
    }

    private static func jsonSyntaxProblem(_ error: any Error, data: Data) -> String {
        let message = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String
        return message ?? "\(error.localizedDescription)"
    }

    private static func describe(_ error: DecodingError, file: String) -> SeedError {
        func place(_ path: [any CodingKey]) -> String {
            var text = ""
            for key in path {
                if let index = key.intValue {
                    text += "[\(index)]"
                } else {
                    text += text.isEmpty ? key.stringValue : ".\(key.stringValue)"
                }
            }
            return text.isEmpty ? "top level" : text
        }
        switch error {
        case .keyNotFound(let key, let context):
            return SeedError(file: file, place: place(context.codingPath), problem: "missing required key \"\(key.stringValue)\"")
        case .typeMismatch(let type, let context):
            return SeedError(file: file, place: place(context.codingPath), problem: "expected \(typeName(type))")
        case .valueNotFound(let type, let context):
            return SeedError(file: file, place: place(context.codingPath), problem: "expected \(typeName(type)), found null")
        case .dataCorrupted(let context):
            return SeedError(file: file, place: place(context.codingPath), problem: context.debugDescription)
        @unknown default:
            return SeedError(file: file, place: "", problem: "\(error)")
        }
    }

    private static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Bool.Type: "true or false"
        case is Int.Type: "a whole number"
        case is Double.Type: "a number"
        default: "a value of type \(type)"
        }
    }

    /// A stable, lower-case UUID derived from `parts`, so unseeded ids do not change between runs.
    static func stableID(_ parts: String...) -> String {
        let digest = Array(SHA256.hash(data: Data(parts.joined(separator: "\u{1F}").utf8)))
        var bytes = Array(digest.prefix(16))
        bytes[6] = (bytes[6] & 0x0F) | 0x50
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        let hex = bytes.map { String(format: "%02x", $0) }.joined()
        let characters = Array(hex)
        return String(characters[0..<8]) + "-" + String(characters[8..<12]) + "-" + String(characters[12..<16]) + "-"
            + String(characters[16..<20]) + "-" + String(characters[20..<32])
    }
}
