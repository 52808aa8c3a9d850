import Hummingbird
import Logging

/// Answers a request that may have written (any method but GET, HEAD and OPTIONS) only once
/// what it wrote is on disk. SQLite commits with `synchronous = NORMAL`: a commit survives the
/// process being killed at once, so a stored run's trigger call follows its commit without
/// waiting for the disk; the answer waits for one flush, shared by every request answered at
/// the same moment (decision 0007 §8).
struct DurableAnswersMiddleware: RouterMiddleware {
    typealias Context = FreshetRequestContext
    /// Returns when every commit made so far is on disk.
    let waitUntilDurable: @Sendable () async throws -> Void

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        switch request.method {
        case .get, .head, .options:
            return try await next(request, context)
        default:
            let response: Response
            do {
                response = try await next(request, context)
            } catch {
                try await flush(context)
                throw error
            }
            try await flush(context)
            return response
        }
    }

    private func flush(_ context: Context) async throws {
        do {
            try await waitUntilDurable()
        } catch {
            context.logger.error("could not flush the database to disk", metadata: ["error": "\(error)"])
            throw ProblemDocument.unavailable("What this request wrote could not be saved to disk; try again later.")
        }
    }
}
