/// A Tableau error answer: HTTP status, Tableau's six-digit code, summary and detail.
///
/// Codes and texts follow REST-API.md; where the reference marks a code UNCONFIRMED, the
/// choice made here is listed in docs/emulator.md.
struct EmulatorError: Error, Sendable {
    var status: Int
    var code: String
    var summary: String
    var detail: String
    /// Extra response headers (Retry-After on 429).
    var headers: [(String, String)] = []

    init(status: Int, code: String, summary: String, detail: String) {
        self.status = status
        self.code = code
        self.summary = summary
        self.detail = detail
    }

    static func badRequest(_ detail: String) -> EmulatorError {
        EmulatorError(status: 400, code: "400000", summary: "Bad Request", detail: detail)
    }

    static let missingCredentials = EmulatorError(
        status: 401, code: "401000", summary: "Unauthorized Access", detail: "No authentication credentials were provided."
    )

    static let invalidCredentials = EmulatorError(
        status: 401, code: "401002", summary: "Unauthorized Access", detail: "Invalid authentication credentials were provided."
    )

    static func signInError(_ detail: String = "Error signing in to Tableau Server") -> EmulatorError {
        EmulatorError(status: 401, code: "401001", summary: "Signin Error", detail: detail)
    }

    static func forbidden(_ detail: String, code: String = "403000") -> EmulatorError {
        EmulatorError(status: 403, code: code, summary: "Forbidden", detail: detail)
    }

    static func notFound(_ code: String, _ detail: String) -> EmulatorError {
        EmulatorError(status: 404, code: code, summary: "Resource Not Found", detail: detail)
    }

    static func invalidVersion(_ version: String) -> EmulatorError {
        notFound("404001", "Version '\(version)' is not a valid version of the API.")
    }

    static func unknownResource(_ path: String) -> EmulatorError {
        notFound("404003", "Unknown resource '\(path)' specified in URI.")
    }

    static func methodNotAllowed(_ method: String, _ path: String) -> EmulatorError {
        EmulatorError(
            status: 405, code: "405000", summary: "Method Not Allowed",
            detail: "Request method '\(method)' is not supported for '\(path)'."
        )
    }

    static func conflict(_ code: String, _ summary: String, _ detail: String) -> EmulatorError {
        EmulatorError(status: 409, code: code, summary: summary, detail: detail)
    }

    /// The error as response children: `<error code><summary/><detail/></error>`.
    var element: Element {
        Element(
            "error", [Attribute("code", code)],
            children: [Element("summary", text: summary), Element("detail", text: detail)]
        )
    }
}
