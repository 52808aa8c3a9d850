import Foundation
import FreshetServer
import Yams

/// Checks an answer of the router against Sources/FreshetServer/openapi.yaml: the operation
/// (method and path template) must document the status (or a `default`), the content type and a
/// body that conforms to the response's schema. Paths the document does not describe (the web
/// console, unknown routes) are not checked.
/// `@unchecked Sendable`: the parsed document is never changed after `init`.
struct OpenAPIResponseValidator: @unchecked Sendable {
    /// The served document, parsed once for every test.
    static let shared = OpenAPIResponseValidator(yaml: OpenAPIDocument.yaml)

    private let document: [String: Any]

    init(yaml: String) {
        // try!: the document is tested to parse (OpenAPIDocumentTests).
        document = try! Yams.load(yaml: yaml) as? [String: Any] ?? [:]
    }

    /// Every disagreement between the answer and the document; empty when they agree.
    func violations(method: String, uri: String, status: Int, contentType: String?, body: Data) -> [String] {
        let path = String(uri.prefix { $0 != "?" })
        guard let (template, operation) = operation(method.lowercased(), path) else { return [] }
        let name = "\(method.uppercased()) \(template) → \(status)"
        let responses = operation["responses"] as? [String: Any] ?? [:]
        guard let documented = responses[String(status)] ?? responses["\(status / 100)XX"] ?? responses["default"] else {
            return ["\(name): the status is not documented (documented: \(responses.keys.sorted().joined(separator: ", ")))"]
        }
        let response = resolved(documented)
        let content = response["content"] as? [String: Any] ?? [:]
        if content.isEmpty {
            return body.isEmpty ? [] : ["\(name): a body where the document describes none"]
        }
        let mediaType = contentType.map { String($0.prefix { $0 != ";" }).trimmingCharacters(in: .whitespaces) } ?? ""
        guard let media = content[mediaType] as? [String: Any] else {
            return ["\(name): content type \"\(mediaType)\" where the document says \(content.keys.sorted().joined(separator: " or "))"]
        }
        guard mediaType.hasSuffix("json"), let schema = media["schema"] else { return [] }
        let instance: JSONInstance
        do { instance = try JSONDecoder().decode(JSONInstance.self, from: body) } catch {
            return ["\(name): the body is not JSON: \(String(decoding: body.prefix(200), as: UTF8.self))"]
        }
        return JSONSchemaChecker(document: document).violations(instance, schema).map { "\(name): \($0)" }
    }

    /// Every way `body` breaks the document's schema `components/schemas/<name>`.
    func violations(of body: String, against name: String) throws -> [String] {
        let instance = try JSONDecoder().decode(JSONInstance.self, from: Data(body.utf8))
        return JSONSchemaChecker(document: document).violations(instance, ["$ref": "#/components/schemas/\(name)"])
    }

    /// The operation documented for `method` on the path template matching `path` (literal
    /// segments preferred over parameters).
    private func operation(_ method: String, _ path: String) -> (String, [String: Any])? {
        let paths = document["paths"] as? [String: Any] ?? [:]
        let segments = path.split(separator: "/", omittingEmptySubsequences: false)
        var best: (score: Int, template: String, operation: [String: Any])?
        for (template, item) in paths {
            let parts = template.split(separator: "/", omittingEmptySubsequences: false)
            guard parts.count == segments.count, let operation = (item as? [String: Any])?[method] as? [String: Any] else { continue }
            var score = 0
            var fits = true
            for (part, segment) in zip(parts, segments) {
                switch part {
                case _ where part.hasPrefix("{") && part.hasSuffix("}"): fits = fits && !segment.isEmpty
                case segment: score += 1
                default: fits = false
                }
            }
            if fits, score > best?.score ?? -1 { best = (score, template, operation) }
        }
        return best.map { ($0.template, $0.operation) }
    }

    private func resolved(_ node: Any) -> [String: Any] {
        guard let object = node as? [String: Any] else { return [:] }
        guard let reference = object["$ref"] as? String else { return object }
        return resolved(JSONSchemaChecker(document: document).resolve(reference) ?? [:])
    }
}
