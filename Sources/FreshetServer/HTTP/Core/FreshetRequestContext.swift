public import Freshet
public import Hummingbird

/// The request context of Freshet's HTTP API: Hummingbird's core storage plus the caller's
/// authenticated API token (set by ``BearerAuthMiddleware`` on `/api/v1` routes).
public struct FreshetRequestContext: RequestContext {
    /// Largest request body accepted (1 MiB); larger bodies get 413.
    public static let bodyLimit = 1 << 20

    public var coreContext: CoreRequestContextStorage
    /// The caller's token, once authenticated.
    public var token: APIToken?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        token = nil
    }

    public var maxUploadSize: Int { Self.bodyLimit }

    /// The authenticated token; a 401 problem when the route was reached without one.
    public func requireToken() throws -> APIToken {
        guard let token else { throw ProblemDocument.unauthorized(AuthenticationFailure.missing.description) }
        return token
    }
}
