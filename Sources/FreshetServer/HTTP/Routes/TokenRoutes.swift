import Freshet
import Hummingbird

/// `/api/v1/tokens`: create, list and revoke API tokens. Admin tokens only.
struct TokenRoutes: APIRouteCollection {
    func register(on api: RouterGroup<FreshetRequestContext>, _ server: FreshetAPI) {
        api.get("tokens") { request, context in
            try await server.authorize(.manageTokens, request, context)
            return try server.json(TokenList(tokens: try await server.tokens.list()))
        }
        api.post("tokens") { request, context in
            let caller = try await server.authorize(.manageTokens, request, context)
            let body = try await request.decodeStrict(CreateTokenBody.self)
            let (token, secret) = try await server.tokens.create(
                name: body.name, scopes: try body.parsedScopes(), isAdmin: body.admin ?? false, allowList: body.allowList?.allowList ?? .init(),
                expiresAt: try body.expiry(now: server.now()), actor: caller.actor)
            return try server.json(
                CreatedToken(token: secret, view: APITokenView(token)), status: .created,
                headers: [.location: "/api/v1/tokens/\(token.id)", .cacheControl: "no-store"])
        }
        api.delete("tokens/{token}") { request, context in
            let caller = try await server.authorize(.manageTokens, request, context)
            let revoked = try await server.tokens.revoke(try context.parameters.decoded("token"), actor: caller.actor)
            server.caches.tokens.removeAll()  // this process honours the revocation at once
            return try server.json(revoked)
        }
    }
}
