package import Freshet
package import Hummingbird

/// The request context of Freshet's HTTP API: Hummingbird's core storage plus the caller's
/// authenticated API token (set by ``BearerAuthMiddleware`` on `/api/v1` routes).
package struct FreshetRequestContext: RequestContext {
    /// Largest request body accepted (1 MiB); larger bodies get 413.
    package static let bodyLimit = 1 << 20

    package var coreContext: CoreRequestContextStorage
    /// The caller's token, once authenticated.
    package var token: APIToken?

    package init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        token = nil
    }

    package var maxUploadSize: Int { Self.bodyLimit }

    /// The authenticated token; a 401 problem when the route was reached without one.
    package func requireToken() throws -> APIToken {
        guard let token else { throw ProblemDocument.unauthorized(AuthenticationFailure.missing.description) }
        return token
    }
}
