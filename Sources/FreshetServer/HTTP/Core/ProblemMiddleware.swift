import Foundation
import Freshet
import Hummingbird
import Logging
import NIOCore
import TableauClient

/// Turns every error into a problem document: unknown routes (404), known paths with another
/// method (405), Hummingbird's own errors, the engine's errors, and anything unexpected (500,
/// logged by type, never shown).
public struct ProblemMiddleware: RouterMiddleware {
    public typealias Context = FreshetRequestContext
    let routes: RouteIndex

    public init(routes: RouteIndex) {
        self.routes = routes
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            var problem = Self.problem(for: error, request: request, routes: routes, logger: context.logger)
            problem.instance = request.uri.path
            return problem.response()
        }
    }

    /// The problem document for `error`.
    static func problem(for error: any Error, request: Request, routes: RouteIndex, logger: Logger) -> ProblemDocument {
        switch error {
        case let problem as ProblemDocument:
            return problem
        case let error as HTTPError:
            return httpProblem(error, request: request, routes: routes)
        case let failure as AuthenticationFailure:
            return .unauthorized(failure.description)
        case let denial as Denial:
            return .forbidden(denial.message, missingScope: denial.missingScope?.rawValue)
        case let error as Freshet.ValidationError:
            return .invalid(error.message, field: error.field)
        case let error as StoreError:
            return storeProblem(error)
        case let error as TableauError:
            return tableauProblem(error)
        case is NIOTooManyBytesError:
            return .tooLarge()
        case let error as SecretError:
            logger.error("secret could not be opened", metadata: ["error": "\(error)"])
            return ProblemDocument("secrets", title: "Secret unavailable", status: 500, detail: error.description)
        default:
            logger.error("request failed", metadata: ["error.type": "\(type(of: error))"])
            return .internalError()
        }
    }

    static func httpProblem(_ error: HTTPError, request: Request, routes: RouteIndex) -> ProblemDocument {
        switch error.status.code {
        case 404:
            let allowed = routes.methods(matching: request.uri.path)
            if !allowed.isEmpty { return .methodNotAllowed(request.method.rawValue, path: request.uri.path, allowed: allowed) }
            return .notFound("Nothing is served at \(request.uri.path).")
        case 413:
            return .tooLarge()
        default:
            let code = Int(error.status.code)
            return ProblemDocument(
                "http-\(code)", title: error.status.reasonPhrase, status: code, detail: error.body ?? error.status.reasonPhrase)
        }
    }

    static func storeProblem(_ error: StoreError) -> ProblemDocument {
        let text = error.description
        if text.hasPrefix("No ") { return .notFound(text + ".") }
        if text.contains("already exists") { return .conflict(text + ".") }
        return ProblemDocument("store", title: "Storage error", status: 500, detail: text)
    }

    static func tableauProblem(_ error: TableauError) -> ProblemDocument {
        ProblemDocument(
            "tableau", title: "Tableau error", status: 502, detail: error.description,
            tableau: .init(httpStatus: error.status, code: error.code, summary: error.summary, detail: error.detail))
    }
}
