import Foundation
import Freshet
package import Hummingbird
package import Logging
import NIOCore
import TableauClient

/// Turns every error into a problem document: unknown routes (404), known paths with another
/// method (405), Hummingbird's own errors, the engine's errors, and anything unexpected (500,
/// logged by type, never shown).
package struct ProblemMiddleware: RouterMiddleware {
    package typealias Context = FreshetRequestContext
    let routes: RouteIndex
    /// Marked failing on every storage failure, healthy on every write that succeeded.
    let storage: StorageHealth

    package init(routes: RouteIndex, storage: StorageHealth = StorageHealth()) {
        self.routes = routes
        self.storage = storage
    }

    package func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            let response = try await next(request, context)
            if request.method != .get, request.method != .head, (200..<300).contains(response.status.code) { storage.recordSuccess() }
            return response
        } catch {
            var problem = Self.problem(for: error, request: request, routes: routes, logger: context.logger)
            if problem.type == ProblemDocument.storageUnavailableType { storage.recordFailure() }
            problem.instance = request.uri.path
            return problem.response()
        }
    }

    /// The problem document for `error`.
    static func problem(for error: any Error, request: Request, routes: RouteIndex, logger: Logger) -> ProblemDocument {
        if let error = error as? HTTPError { return httpProblem(error, request: request, routes: routes) }
        return problem(for: error, logger: logger)
    }

    /// The problem document for `error`, decided by its type and code, never by its message.
    package static func problem(for error: any Error, logger: Logger) -> ProblemDocument {
        switch error {
        case let problem as ProblemDocument:
            return problem
        case let failure as AuthenticationFailure:
            return .unauthorized(failure.description)
        case let denial as Denial:
            return .forbidden(denial.message, missingScope: denial.missingScope?.rawValue)
        case let error as Freshet.ValidationError:
            return .invalid(error.message, field: error.field)
        case let error as StoreError:
            return storeProblem(error, logger: logger)
        case let error as any StoreErrorConvertible:
            return storeProblem(error.storeError, logger: logger)
        case let error as TableauError:
            return tableauProblem(error)
        case is NIOTooManyBytesError:
            return .tooLarge()
        case is CancellationError:
            return .cancelled()
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

    /// By the error's code, never its text: the database's own words go to the log only.
    static func storeProblem(_ error: StoreError, logger: Logger) -> ProblemDocument {
        switch error.code {
        case .notFound: return .notFound(error.description + ".")
        case .conflict: return .conflict(error.description + ".")
        case .corrupt, .unavailable:
            logger.error("storage failed", metadata: ["error.code": "\(error.code.rawValue)", "error": "\(error.description)"])
            return .storageUnavailable()
        }
    }

    static func tableauProblem(_ error: TableauError) -> ProblemDocument {
        if error.kind == .cancelled { return .cancelled() }
        return ProblemDocument(
            "tableau", title: "Tableau error", status: 502, detail: error.description,
            tableau: .init(httpStatus: error.status, code: error.code, summary: error.summary, detail: error.detail))
    }
}
