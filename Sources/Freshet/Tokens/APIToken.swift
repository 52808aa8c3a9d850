package import Foundation

/// A caller's API token as stored: never the token itself, only its SHA-256 hash.
package struct APIToken: Sendable, Equatable, Codable {
    package var id: String
    /// A unique name people give the token ("airflow-prod").
    package var name: String
    /// Hex SHA-256 of the token text (see ``TokenSecret``).
    package var hash: String
    /// The first characters of the token ("fsh_AbCd"), so people can tell tokens apart.
    package var hint: String
    package var scopes: Set<TokenScope>
    /// Admin tokens may do everything: every scope, all content, and managing tokens.
    package var isAdmin: Bool
    /// What ``TokenScope/refresh`` applies to.
    package var allowList: TokenAllowList
    package var createdAt: Date
    /// Who created it ("cli:ann", "token:admin", "system").
    package var createdBy: String
    /// After this instant the token is refused.
    package var expiresAt: Date?
    /// When it was revoked; a revoked token is refused.
    package var revokedAt: Date?

    package init(
        id: String = UUID().uuidString.lowercased(), name: String, hash: String, hint: String, scopes: Set<TokenScope>, isAdmin: Bool = false,
        allowList: TokenAllowList = TokenAllowList(), createdAt: Date = Date(), createdBy: String, expiresAt: Date? = nil, revokedAt: Date? = nil
    ) {
        self.id = id
        self.name = name
        self.hash = hash
        self.hint = hint
        self.scopes = scopes
        self.isAdmin = isAdmin
        self.allowList = allowList
        self.createdAt = createdAt
        self.createdBy = createdBy
        self.expiresAt = expiresAt
        self.revokedAt = revokedAt
    }

    /// The actor recorded in the audit log for this token's requests.
    package var actor: String { "token:\(name)" }

    /// Whether the token is usable at `now`: neither revoked nor expired.
    package func isActive(at now: Date) -> Bool {
        revokedAt == nil && (expiresAt.map { now < $0 } ?? true)
    }
}

/// A token as listed: no hash.
package struct APITokenView: Sendable, Equatable, Codable {
    package var id: String
    package var name: String
    package var hint: String
    package var scopes: [String]
    package var isAdmin: Bool
    package var allowList: TokenAllowList
    package var createdAt: Date
    package var createdBy: String
    package var expiresAt: Date?
    package var revokedAt: Date?

    package init(_ token: APIToken) {
        id = token.id
        name = token.name
        hint = token.hint
        scopes = token.scopes.sorted().map(\.rawValue)
        isAdmin = token.isAdmin
        allowList = token.allowList
        createdAt = token.createdAt
        createdBy = token.createdBy
        expiresAt = token.expiresAt
        revokedAt = token.revokedAt
    }
}
