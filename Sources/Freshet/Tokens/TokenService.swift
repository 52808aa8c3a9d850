package import Foundation

/// Why a presented token was refused (HTTP 401).
package enum AuthenticationFailure: Error, Sendable, Equatable, CustomStringConvertible {
    case missing
    case unknown
    case revoked
    case expired

    package var description: String {
        switch self {
        case .missing: "This request needs an API token: send \"Authorization: Bearer fsh_…\"."
        case .unknown: "The API token is not valid."
        case .revoked: "This API token has been revoked."
        case .expired: "This API token has expired."
        }
    }
}

/// Creates, lists, revokes and checks API tokens; creation and revocation are audited.
package struct TokenService: Sendable {
    package let store: any TokenStore
    let audit: any AuditStore
    let now: @Sendable () -> Date

    package init(store: any TokenStore, audit: any AuditStore, now: @escaping @Sendable () -> Date = { Date() }) {
        self.store = store
        self.audit = audit
        self.now = now
    }

    /// Name of the admin token `freshet serve` creates on first start.
    package static let initialAdminName = "admin"

    /// Creates a token and returns it with its text, which is never available again.
    package func create(
        name: String, scopes: Set<TokenScope>, isAdmin: Bool = false, allowList: TokenAllowList = TokenAllowList(), expiresAt: Date? = nil,
        actor: String
    ) async throws -> (token: APIToken, secret: String) {
        let name = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty else { throw ValidationError("Token name is required", field: "name") }
        guard name.unicodeScalars.count <= 100, !name.contains(where: { $0.isNewline || $0.isWhitespace && $0 != " " }) else {
            throw ValidationError("Token name must be one line of at most 100 characters", field: "name")
        }
        guard isAdmin || !scopes.isEmpty else {
            throw ValidationError("A token needs at least one scope (or admin)", field: "scopes")
        }
        if let expiresAt, expiresAt <= now() {
            throw ValidationError("The expiry must be in the future", field: "expiresAt")
        }
        if try await store.token(idOrName: name)?.name == name {
            throw ValidationError("A token named \"\(name)\" already exists", field: "name")
        }
        let secret = TokenSecret.generate()
        let token = APIToken(
            name: name, hash: TokenSecret.hash(secret), hint: TokenSecret.hint(secret), scopes: scopes, isAdmin: isAdmin,
            allowList: allowList, createdAt: now(), createdBy: actor, expiresAt: expiresAt
        )
        try await store.insertToken(token)
        var details = ["scopes": token.scopes.sorted().map(\.rawValue).joined(separator: ","), "admin": isAdmin ? "yes" : "no"]
        if let expiresAt { details["expiresAt"] = expiresAt.ISO8601Format() }
        try await audit.append(AuditEvent(time: now(), actor: actor, action: "token.created", target: name, outcome: "success", details: details))
        return (token, secret)
    }

    /// Every token, by name (never their text or hash).
    package func list() async throws -> [APITokenView] {
        try await store.tokens().map(APITokenView.init)
    }

    /// Revokes the token with this id or name; throws ``StoreError`` when there is none.
    @discardableResult
    package func revoke(_ idOrName: String, actor: String) async throws -> APITokenView {
        guard let token = try await store.token(idOrName: idOrName) else { throw StoreError(.notFound, "No API token named \"\(idOrName)\"") }
        let revokedNow = try await store.revokeToken(id: token.id, at: now())
        if revokedNow {
            try await audit.append(AuditEvent(time: now(), actor: actor, action: "token.revoked", target: token.name, outcome: "success"))
        }
        return APITokenView(try await store.token(idOrName: token.id) ?? token)
    }

    /// The active token whose text is `secret`.
    package func authenticate(_ secret: String) async throws -> APIToken {
        let secret = secret.trimmingCharacters(in: .whitespaces)
        guard !secret.isEmpty else { throw AuthenticationFailure.missing }
        guard secret.hasPrefix(TokenSecret.prefix), secret.count < 200,
            let token = try await store.token(hash: TokenSecret.hash(secret))
        else { throw AuthenticationFailure.unknown }
        if token.revokedAt != nil { throw AuthenticationFailure.revoked }
        if let expiry = token.expiresAt, now() >= expiry { throw AuthenticationFailure.expired }
        return token
    }

    /// Creates the admin token ``initialAdminName`` when there is no token at all; returns its
    /// text (to print once), or nil when tokens exist or another process created one first.
    package func createInitialAdminIfNone(actor: String = "system") async throws -> (token: APIToken, secret: String)? {
        guard try await store.tokenCount() == 0 else { return nil }
        do {
            return try await create(name: Self.initialAdminName, scopes: Set(TokenScope.allCases), isAdmin: true, actor: actor)
        } catch is ValidationError {
            return nil
        } catch let error as StoreError where error.code == .conflict {
            return nil
        }
    }
}
