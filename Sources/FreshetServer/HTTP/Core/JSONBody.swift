package import Foundation
package import Hummingbird
package import NIOCore
import NIOFoundationEssentialsCompat

/// The fields a JSON request body may have, so unknown ones are refused by name.
package indirect enum JSONShape: Sendable {
    /// Any value but null; its type is checked when decoding.
    case value
    /// Any value, null included (the pass-through's `body`).
    case nullable
    /// An object with exactly these optional fields.
    case object([String: JSONShape])
    /// An array whose elements have this shape.
    case array(JSONShape)
    /// Any value without null anywhere in it (a generated type checks its own members).
    case withoutNulls
    /// The same, except inside the members of these names: free-form JSON (dbt's artifacts),
    /// which the generated type holds as any value, nulls included.
    case withoutNullsOutside(Set<String>)
}

extension JSONShape {
    var allowsNull: Bool {
        if case .nullable = self { return true }
        return false
    }
}

/// RFC 3339 date-times as the API reads them: with or without fractional seconds, `T` and `Z`
/// in either case (JSON Schema's `date-time`), any offset up to ±23:59.
enum RFC3339 {
    static func date(_ text: String) -> Date? {
        let value = text.uppercased()
        if let date = utc(value) { return date }
        // Foundation's parser takes offsets up to ±18 hours only (a TimeZone's limit); RFC 3339
        // allows ±23:59: read the local time as UTC and apply the offset.
        guard let match = value.wholeMatch(of: /(.+)([+-])([01][0-9]|2[0-3]):([0-5][0-9])/),
            let local = utc(String(match.1) + "Z"), let hours = Int(match.3), let minutes = Int(match.4)
        else { return nil }
        let offset = TimeInterval(hours * 3600 + minutes * 60)
        return match.2 == "+" ? local - offset : local + offset
    }

    private static func utc(_ value: String) -> Date? {
        if let date = try? Date(value, strategy: .iso8601) { return date }
        return try? Date(value, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }
}

/// A JSON request body decoded strictly: unknown fields, wrong types and missing fields are
/// 400 problem documents naming the field.
package protocol JSONRequestBody: Decodable, Sendable {
    /// The fields the body may have.
    static var shape: JSONShape { get }
}

extension Request {
    /// Collects the body (at most ``FreshetRequestContext/bodyLimit`` bytes, else 413) and
    /// decodes it strictly as `type`.
    package func decodeStrict<Body: JSONRequestBody>(_ type: Body.Type) async throws -> Body {
        let buffer = try await collectJSON()
        return try JSONBodyDecoder.decode(type, from: Data(buffer: buffer))
    }

    /// Collects the body and decodes it as a type generated from openapi.yaml
    /// (Sources/FreshetAPITypes): the generated decoder refuses members the document does not
    /// have (`additionalProperties: false`); null is refused everywhere (no request member is
    /// nullable). Problems name the field as ``decodeStrict(_:)``'s do.
    /// `freeForm` names the members whose values are free-form JSON, where null is allowed.
    package func decodeGenerated<Body: Decodable & Sendable>(_ type: Body.Type, freeForm: Set<String> = []) async throws -> Body {
        let buffer = try await collectJSON()
        return try JSONBodyDecoder.decode(type, from: Data(buffer: buffer), shape: .withoutNullsOutside(freeForm))
    }

    /// The raw body of a JSON request (at most ``FreshetRequestContext/bodyLimit`` bytes, else
    /// 413); 415 when the request says it is something else.
    package func collectJSON() async throws -> ByteBuffer {
        // curl -d sends application/x-www-form-urlencoded; its body is read as JSON all the same.
        if let contentType = headers[.contentType]?.lowercased(), !contentType.contains("json"),
            !contentType.hasPrefix("application/x-www-form-urlencoded")
        {
            throw ProblemDocument(
                "unsupported-media-type", title: "Unsupported media type", status: 415,
                detail: "Send the request body as application/json.")
        }
        do {
            return try await body.collect(upTo: FreshetRequestContext.bodyLimit)
        } catch let error as HTTPError where error.status == .contentTooLarge {
            throw ProblemDocument.tooLarge()
        } catch is NIOTooManyBytesError {
            throw ProblemDocument.tooLarge()
        }
    }
}

/// Strict decoding of request bodies, separate from HTTP for tests.
package enum JSONBodyDecoder {
    package static func decode<Body: JSONRequestBody>(_ type: Body.Type, from data: Data) throws -> Body {
        try decode(type, from: data, shape: Body.shape)
    }

    /// Decodes `data` as `type` after checking it against `shape` (nil: a generated type, which
    /// checks its members itself; only nulls are refused here).
    static func decode<Body: Decodable>(_ type: Body.Type, from data: Data, shape: JSONShape?) throws -> Body {
        guard !data.isEmpty else { throw ProblemDocument.badRequest("The request body is empty; send a JSON object.") }
        let value: Any
        do {
            value = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
        } catch {
            throw ProblemDocument.badRequest("The request body is not valid JSON.")
        }
        guard value is [String: Any] else { throw ProblemDocument.badRequest("The request body must be a JSON object.") }
        switch firstProblem(value, shape: shape ?? .withoutNulls, path: "") {
        case .unknown(let field): throw ProblemDocument.badRequest("Unknown field \"\(field)\".", field: field)
        case .null(let field): throw ProblemDocument.badRequest("Field \"\(field)\" must not be null; leave it out instead.", field: field)
        case nil: break
        }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let text = try decoder.singleValueContainer().decode(String.self)
            guard let date = RFC3339.date(text) else {
                throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "Expected an RFC 3339 date-time."))
            }
            return date
        }
        do {
            return try decoder.decode(Body.self, from: data)
        } catch let error as DecodingError {
            throw problem(error)
        }
    }

    /// What is wrong with a body's fields before decoding.
    enum ShapeProblem: Equatable {
        /// A field the shape does not have.
        case unknown(String)
        /// A field sent as null where null is not allowed.
        case null(String)
    }

    /// The first field (in sorted order) that `shape` does not have or that is null where it may
    /// not be, by its path.
    static func firstProblem(_ value: Any, shape: JSONShape, path: String) -> ShapeProblem? {
        switch shape {
        case .value, .nullable:
            return nil
        case .withoutNulls, .withoutNullsOutside:
            let freeForm: Set<String> = if case .withoutNullsOutside(let names) = shape { names } else { [] }
            if let object = value as? [String: Any] {
                for key in object.keys.sorted() {
                    let fieldPath = path.isEmpty ? key : "\(path).\(key)"
                    if object[key] is NSNull { return .null(fieldPath) }
                    if freeForm.contains(key) { continue }
                    if let problem = firstProblem(object[key] as Any, shape: shape, path: fieldPath) { return problem }
                }
            } else if let array = value as? [Any] {
                for (index, item) in array.enumerated() {
                    if item is NSNull { return .null("\(path)[\(index)]") }
                    if let problem = firstProblem(item, shape: shape, path: "\(path)[\(index)]") { return problem }
                }
            }
            return nil
        case .object(let fields):
            guard let object = value as? [String: Any] else { return nil }
            for key in object.keys.sorted() {
                let fieldPath = path.isEmpty ? key : "\(path).\(key)"
                guard let fieldShape = fields[key] else { return .unknown(fieldPath) }
                if object[key] is NSNull, !fieldShape.allowsNull { return .null(fieldPath) }
                if let problem = firstProblem(object[key] as Any, shape: fieldShape, path: fieldPath) { return problem }
            }
            return nil
        case .array(let element):
            guard let array = value as? [Any] else { return nil }
            for (index, item) in array.enumerated() {
                if let problem = firstProblem(item, shape: element, path: "\(path)[\(index)]") { return problem }
            }
            return nil
        }
    }

    static func problem(_ error: DecodingError) -> ProblemDocument {
        switch error {
        case .typeMismatch(let type, let context):
            let field = fieldName(context.codingPath)
            return .badRequest("Field \"\(field)\" must be \(describe(type)).", field: field)
        case .valueNotFound(let type, let context):
            let field = fieldName(context.codingPath)
            return .badRequest("Field \"\(field)\" must be \(describe(type)), not null.", field: field)
        case .keyNotFound(let key, let context):
            let field = fieldName(context.codingPath + [key])
            return .badRequest("Field \"\(field)\" is required.", field: field)
        case .dataCorrupted(let context):
            guard !context.codingPath.isEmpty else { return .badRequest("The request body is not valid JSON.") }
            let field = fieldName(context.codingPath)
            // OpenAPIRuntime's words for a member an `additionalProperties: false` schema lacks.
            if context.debugDescription.hasPrefix("Additional properties are disabled") {
                return .badRequest("Unknown field \"\(field)\".", field: field)
            }
            // A generated enum's words: "Cannot initialize StatusPayload from invalid String value broken".
            if context.debugDescription.hasPrefix("Cannot initialize "), let range = context.debugDescription.range(of: " value ") {
                let value = context.debugDescription[range.upperBound...]
                return .badRequest(
                    "Field \"\(field)\" has an invalid value \"\(value)\": it must be one of the values the API document lists for it (GET /api/v1/openapi.yaml).",
                    field: field)
            }
            return .badRequest("Field \"\(field)\" has an invalid value: \(context.debugDescription)", field: field)
        @unknown default:
            return .badRequest("The request body could not be read.")
        }
    }

    static func fieldName(_ path: [any CodingKey]) -> String {
        var name = ""
        for key in path {
            if let index = key.intValue {
                name += "[\(index)]"
            } else {
                name += name.isEmpty ? key.stringValue : ".\(key.stringValue)"
            }
        }
        return name.isEmpty ? "(body)" : name
    }

    static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Bool.Type: "true or false"
        case is Int.Type, is Int64.Type: "an integer"
        case is Double.Type: "a number"
        case is Date.Type: "an ISO 8601 date"
        default:
            "\(type)".hasPrefix("Array") ? "an array" : "\(type)".hasPrefix("Dictionary") ? "an object" : "a value of the documented type"
        }
    }
}
