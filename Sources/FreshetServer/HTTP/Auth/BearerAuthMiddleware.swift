import Freshet
import Hummingbird

/// Authenticates `Authorization: Bearer fsh_…` against the token store and puts the token in
/// the context; refuses (401) a missing, unknown, revoked or expired token. Never logs the token.
/// Signed access-event deliveries are the one exception (docs/api.md).
public struct BearerAuthMiddleware: RouterMiddleware {
    public typealias Context = FreshetRequestContext
    let tokens: TokenService

    public init(tokens: TokenService) {
        self.tokens = tokens
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        // The one exception: a signed access-event delivery (POST /api/v1/access-events with a
        // signature header and no Authorization) goes on without a token; its route checks the signature.
        if AccessRoutes.isSignedDelivery(request) { return try await next(request, context) }
        guard let header = request.headers[.authorization] else {
            throw ProblemDocument.unauthorized(AuthenticationFailure.missing.description)
        }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else {
            throw ProblemDocument.unauthorized("Send the API token as \"Authorization: Bearer fsh_…\".")
        }
        var context = context
        context.token = try await tokens.authenticate(String(parts[1]))
        context.logger[metadataKey: "token"] = .string(context.token?.name ?? "")
        return try await next(request, context)
    }
}
