import Hummingbird

/// Sets the run queue-depth gauge (runs not yet ended, in any process sharing the database)
/// just before `/metrics` is scraped.
struct RunQueueDepthMiddleware: RouterMiddleware {
    typealias Context = FreshetRequestContext
    let api: FreshetAPI

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if request.uri.path == "/metrics" { await api.updateQueueDepth() }
        return try await next(request, context)
    }
}
