import Foundation
package import Freshet
package import Hummingbird
import Logging

/// Authenticates `Authorization: Bearer fsh_…` against the token store and puts the token in
/// the context; refuses (401) a missing, unknown, revoked or expired token. Never logs the token.
/// Signed access-event deliveries are the one exception (docs/api.md).
package struct BearerAuthMiddleware: RouterMiddleware {
    package typealias Context = FreshetRequestContext
    let tokens: TokenService
    let cache: TokenCache?

    package init(tokens: TokenService) {
        self.tokens = tokens
        self.cache = nil
    }

    init(tokens: TokenService, caches: HotPathCaches) {
        self.tokens = tokens
        self.cache = caches.tokens
    }

    package func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
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
        let token = try await authenticate(Self.trimmed(parts[1]))
        context.token = token
        // Setting logger metadata re-renders the handler's metadata: only when lines at info
        // (each request's line) are written at all.
        if context.logger.logLevel <= .info { context.logger[metadataKey: "token"] = .string(token.name) }
        return try await next(request, context)
    }

    /// The token for `secret`, from the cache when it was read in the last seconds (its
    /// revocation and expiry are checked again either way).
    private func authenticate(_ secret: String) async throws -> APIToken {
        guard let cache else { return try await tokens.authenticate(secret) }
        let hash = TokenSecret.hash(secret)
        let now = Date()
        if let token = cache.token(hash: hash, now: now), token.revokedAt == nil, token.expiresAt.map({ now < $0 }) ?? true {
            return token
        }
        let token = try await tokens.authenticate(secret)
        cache.store(token, hash: hash, now: now)
        return token
    }

    /// `text` without leading and trailing spaces and tabs (cheaper than Foundation's trimming,
    /// which bridges through NSString on every request).
    static func trimmed(_ text: Substring) -> String {
        let blank: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = text.firstIndex(where: { !blank($0) }), let last = text.lastIndex(where: { !blank($0) }) else { return "" }
        return String(text[first...last])
    }
}
