import Foundation
import Freshet
import HTTPTypes
import Hummingbird
import Logging

/// Every console response: security headers (CSP without inline script, no framing, nosniff),
/// the session (its API token authenticated again on every request, exactly as the API does)
/// and errors rendered as pages instead of problem documents.
struct ConsoleMiddleware: RouterMiddleware {
    typealias Context = FreshetRequestContext
    let console: Console
    let requireSession: Bool

    static let contentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response: Response
        do {
            var context = context
            if requireSession {
                guard let session = console.session(request) else { throw ConsoleError.signInRequired }
                do {
                    context.token = try await console.api.tokens.authenticate(session.token)
                } catch is AuthenticationFailure {
                    throw ConsoleError.signInRequired
                }
            }
            response = try await next(request, context)
        } catch {
            response = errorPage(error, request: request, context: context)
        }
        Self.secure(&response.headers)
        return response
    }

    /// Adds the console's security headers.
    static func secure(_ headers: inout HTTPFields) {
        headers[.contentSecurityPolicy] = contentSecurityPolicy
        headers[.xContentTypeOptions] = "nosniff"
        headers[HTTPField.Name("X-Frame-Options")!] = "DENY"
        headers[HTTPField.Name("Referrer-Policy")!] = "same-origin"
        if headers[.cacheControl] == nil { headers[.cacheControl] = "no-store" }
    }

    private func errorPage(_ error: any Error, request: Request, context: Context) -> Response {
        switch error {
        case ConsoleError.signInRequired:
            var response = Console.redirect(SignInPages.signInURL(next: request.method == .get ? request.uri.description : nil))
            response.setCookie(SignInPages.expiredCookie(ConsoleSession.cookieName, request: request))
            return response
        case ConsoleError.csrfRejected:
            context.logger.notice("console form refused: no valid CSRF token", metadata: ["path": "\(request.uri.path)"])
            return console.page(
                "error", title: "Form refused",
                model: ErrorModel(
                    heading: "Form refused",
                    detail: "This form did not carry the console's security token (CSRF protection). Reload the page and submit it again.",
                    tableau: nil),
                request: request, context: context, status: .forbidden)
        default:
            var problem = ProblemMiddleware.problem(for: error, request: request, routes: RouteIndex(), logger: context.logger)
            problem.instance = request.uri.path
            let heading = problem.statusCode == 403 ? "Not allowed" : problem.title
            return console.page(
                "error", title: heading,
                model: ErrorModel(heading: heading, detail: problem.detail, tableau: problem.tableau?.detail ?? problem.tableau?.summary),
                request: request, context: context, status: problem.status)
        }
    }
}

/// What an error page shows.
struct ErrorModel {
    var heading: String
    var detail: String
    var tableau: String?
}
