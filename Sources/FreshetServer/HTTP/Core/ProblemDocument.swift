import Foundation
package import HTTPTypes
package import Hummingbird

/// An RFC 9457 problem document (`application/problem+json`): every error Freshet's HTTP API
/// returns. Never carries a secret or a stack trace.
package struct ProblemDocument: Error, Sendable, Equatable, Codable {
    /// A URI naming the kind of problem (`urn:freshet:problem:<slug>`; see docs/api.md).
    package var type: String
    package var title: String
    /// The HTTP status code (`status` in the document).
    package var statusCode: Int
    package var detail: String
    /// The request path.
    package var instance: String?
    /// The request field at fault (`name`, `connectedApp.clientId`), for 400 and 422.
    package var field: String?
    /// The scope the token lacks, for 403.
    package var missingScope: String?
    /// Tableau's own error, when Tableau is the cause.
    package var tableau: TableauProblem?
    /// Response headers (Allow, WWW-Authenticate); not part of the document.
    package var headers: [String: String] = [:]

    /// Tableau's error as it reported it.
    package struct TableauProblem: Sendable, Equatable, Codable {
        package var httpStatus: Int?
        package var code: String?
        package var summary: String?
        package var detail: String?

        package init(httpStatus: Int?, code: String?, summary: String?, detail: String?) {
            self.httpStatus = httpStatus
            self.code = code
            self.summary = summary
            self.detail = detail
        }
    }

    enum CodingKeys: String, CodingKey {
        case type, title, statusCode = "status", detail, instance, field, missingScope, tableau
    }

    package init(
        _ slug: String, title: String, status: Int, detail: String, field: String? = nil, missingScope: String? = nil,
        tableau: TableauProblem? = nil, headers: [String: String] = [:]
    ) {
        self.type = "urn:freshet:problem:\(slug)"
        self.title = title
        self.statusCode = status
        self.detail = detail
        self.field = field
        self.missingScope = missingScope
        self.tableau = tableau
        self.headers = headers
    }

    /// The media type of problem documents.
    package static let mediaType = "application/problem+json"

    package static func badRequest(_ detail: String, field: String? = nil) -> ProblemDocument {
        ProblemDocument("bad-request", title: "Bad request", status: 400, detail: detail, field: field)
    }

    package static func invalid(_ detail: String, field: String?) -> ProblemDocument {
        ProblemDocument("validation", title: "Invalid input", status: 422, detail: detail, field: field)
    }

    package static func unauthorized(_ detail: String) -> ProblemDocument {
        ProblemDocument(
            "unauthorized", title: "Unauthorized", status: 401, detail: detail, headers: ["WWW-Authenticate": "Bearer realm=\"freshet\""]
        )
    }

    package static func forbidden(_ detail: String, missingScope: String? = nil) -> ProblemDocument {
        ProblemDocument("forbidden", title: "Forbidden", status: 403, detail: detail, missingScope: missingScope)
    }

    package static func notFound(_ detail: String) -> ProblemDocument {
        ProblemDocument("not-found", title: "Not found", status: 404, detail: detail)
    }

    package static func methodNotAllowed(_ method: String, path: String, allowed: [String]) -> ProblemDocument {
        ProblemDocument(
            "method-not-allowed", title: "Method not allowed", status: 405,
            detail: "\(method) is not allowed on \(path); use \(allowed.joined(separator: ", ")).",
            headers: ["Allow": allowed.joined(separator: ", ")]
        )
    }

    package static func conflict(_ detail: String) -> ProblemDocument {
        ProblemDocument("conflict", title: "Conflict", status: 409, detail: detail)
    }

    package static func tooLarge() -> ProblemDocument {
        ProblemDocument(
            "content-too-large", title: "Content too large", status: 413,
            detail: "The request body is larger than \(FreshetRequestContext.bodyLimit) bytes."
        )
    }

    package static func internalError() -> ProblemDocument {
        ProblemDocument("internal", title: "Internal server error", status: 500, detail: "Freshet could not complete the request; the server log has the details.")
    }

    /// The `type` of ``storageUnavailable()``.
    package static let storageUnavailableType = "urn:freshet:problem:storage-unavailable"

    /// The database could not be read or written; its own words stay in the server log.
    package static func storageUnavailable() -> ProblemDocument {
        ProblemDocument(
            "storage-unavailable", title: "Storage unavailable", status: 503,
            detail: "Freshet could not read or write its database; nothing was changed. Try again shortly.",
            headers: ["Retry-After": "5"])
    }

    /// The request was cancelled before it finished (the server is stopping); nothing is
    /// reported as a timeout.
    package static func cancelled() -> ProblemDocument {
        ProblemDocument(
            "cancelled", title: "Request cancelled", status: 503,
            detail: "The request was cancelled before it finished (the server is stopping). Try again.", headers: ["Retry-After": "1"])
    }

    package static func unavailable(_ detail: String) -> ProblemDocument {
        ProblemDocument("unavailable", title: "Service unavailable", status: 503, detail: detail)
    }
}

extension ProblemDocument: HTTPResponseError {
    package var status: HTTPResponse.Status { .init(code: statusCode) }

    package func response(from request: Request, context: some RequestContext) throws -> Response {
        var document = self
        if document.instance == nil { document.instance = request.uri.path }
        return document.response()
    }

    /// The problem as a response.
    package func response() -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let body = (try? encoder.encode(self)) ?? Data("{\"status\":\(statusCode)}".utf8)
        var fields = HTTPFields()
        fields[.contentType] = Self.mediaType
        for (name, value) in headers.sorted(by: { $0.key < $1.key }) {
            if let field = HTTPField.Name(name) { fields[field] = value }
        }
        return Response(status: .init(code: statusCode), headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }
}
