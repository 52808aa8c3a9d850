import Foundation
import HTTPTypes

/// One REST request as the route handlers see it.
struct Call: Sendable {
    var method: HTTPRequest.Method
    /// The full path, e.g. `/api/3.24/sites/…/workbooks`.
    var path: String
    /// Path segments after the version (`sites`, site id, `workbooks`…) or after `/api/-/`.
    var segments: [String]
    var query: QueryString
    var headers: HTTPFields
    var body: [UInt8]
    var version: APIVersion?
    /// `host:port` the client addressed.
    var authority: String?

    /// Whether the caller asked for JSON (`Accept: application/json`); XML otherwise.
    var wantsJSON: Bool {
        guard let accept = headers[.accept]?.lowercased() else { return false }
        return accept.contains("application/json") && !accept.hasPrefix("application/xml") && !accept.hasPrefix("text/xml")
    }

    var authToken: String? {
        headers[HTTPField.Name("X-Tableau-Auth")!].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The parsed request body.
    func document() throws(EmulatorError) -> RequestDocument {
        try RequestDocument.parse(body, contentType: headers[.contentType])
    }

    /// Segment `index`, compared case-insensitively by callers through ``segment(_:is:)``.
    func segment(_ index: Int) -> String? {
        index < segments.count ? segments[index] : nil
    }
}

/// What a handler answers.
struct Reply: Sendable {
    var status: Int
    /// Children of `tsResponse` (rendered as XML or JSON), or nil.
    var elements: [Element]?
    /// A ready-made body (JSON-only endpoints, Cloud's HTML 429 page) and its content type.
    var body: String?
    var contentType: String?
    var headers: [(String, String)] = []

    static func ok(_ elements: Element...) -> Reply { Reply(status: 200, elements: elements) }
    static func status(_ status: Int, _ elements: Element...) -> Reply { Reply(status: status, elements: elements) }
    static func json(_ status: Int = 200, _ body: String) -> Reply {
        Reply(status: status, elements: nil, body: body, contentType: "application/json;charset=UTF-8")
    }
    static let noContent = Reply(status: 204, elements: nil)
}
