import Foundation
import Freshet

/// `POST /api/v1/connections/{connection}/tableau`:
/// `{"method":"GET","path":"/api/-/search","query":{"terms":"sales"},"body":<JSON or string>,"contentType":"…"}`.
struct PassThroughBody: JSONRequestBody {
    var method: String
    var path: String
    var query: [String: String]?
    /// The body's media type; by default application/json for a JSON body, application/xml for
    /// a string starting with "<", else text/plain.
    var contentType: String?

    static let shape = JSONShape.object(["method": .value, "path": .value, "query": .value, "body": .nullable, "contentType": .value])

    /// The validated request, with `body` (the request's raw `body` member) encoded for Tableau.
    func request(body: Any?) throws(AccessError) -> PassThroughRequest {
        var bytes: [UInt8]?
        var type = "application/json"
        switch body {
        case nil, is NSNull:
            bytes = nil
        case let text as String:
            bytes = Array(text.utf8)
            type = text.trimmingCharacters(in: .whitespacesAndNewlines).hasPrefix("<") ? "application/xml" : "text/plain"
        case let value?:
            let data = try? JSONSerialization.data(withJSONObject: value, options: [.fragmentsAllowed, .withoutEscapingSlashes])
            bytes = data.map { Array($0) }
        }
        let query = (query ?? [:]).sorted { $0.key < $1.key }.map { QueryItem(name: $0.key, value: $0.value) }
        return try PassThroughRequest(method: method, path: path, query: query, body: bytes, contentType: contentType ?? type)
    }

    /// The raw `body` member of a request body already decoded strictly.
    static func rawBody(_ data: Data) -> Any? {
        ((try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])) as? [String: Any])?["body"]
    }
}

/// Tableau's answer as the API returns it: `{"status","contentType","body"}`, the body as JSON
/// when Tableau answered JSON, else as a string (null when empty).
enum PassThroughAnswer {
    static func json(_ response: PassThroughResponse) throws -> Data {
        var body: Any = NSNull()
        if !response.body.isEmpty {
            body = response.text
            if response.contentType?.lowercased().contains("json") == true,
                let value = try? JSONSerialization.jsonObject(with: Data(response.body), options: [.fragmentsAllowed])
            {
                body = value
            }
        }
        let object: [String: Any] = ["status": response.status, "contentType": response.contentType ?? NSNull(), "body": body]
        return try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes, .fragmentsAllowed])
    }
}
