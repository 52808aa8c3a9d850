package import Foundation
package import Freshet
import PostgresNIO

extension PostgresStore: TokenStore {
    /// Adds `token` (its hash, never its text); throws ``StoreError`` when the name is taken.
    package func insertToken(_ token: APIToken) async throws {
        let scopes = try Self.json(token.scopes.sorted().map(\.rawValue))
        let allowList = try Self.json(token.allowList)
        do {
            _ = try await database.rows(
                """
                INSERT INTO api_tokens (id, name, hash, hint, scopes, is_admin, allow_list, created_at, created_by, expires_at, revoked_at)
                VALUES (\(token.id), \(token.name), \(token.hash), \(token.hint), \(scopes), \(token.isAdmin), \(allowList),
                    \(token.createdAt.pg), \(token.createdBy), \(token.expiresAt?.pg), \(token.revokedAt?.pg))
                """)
        } catch let error as StoreError where error.description.contains("api_tokens_name_unique") {
            throw StoreError(.conflict, "An API token named \"\(token.name)\" already exists")
        }
    }

    /// The token whose hash is `hash`, or nil.
    package func token(hash: String) async throws -> APIToken? {
        try await rows("SELECT * FROM api_tokens WHERE hash = \(hash)").first.map(Self.apiToken)
    }

    /// The token with this id, else the one with this name.
    package func token(idOrName: String) async throws -> APIToken? {
        try await rows(
            "SELECT * FROM api_tokens WHERE id = \(idOrName) OR name = \(idOrName) ORDER BY id = \(idOrName) DESC LIMIT 1"
        ).first.map(Self.apiToken)
    }

    /// All tokens, by name.
    package func tokens() async throws -> [APIToken] {
        try await rows("SELECT * FROM api_tokens ORDER BY name").map(Self.apiToken)
    }

    /// Marks the token revoked at `at` unless it already is.
    package func revokeToken(id: String, at: Date) async throws -> Bool {
        try await !rows("UPDATE api_tokens SET revoked_at = \(at.pg) WHERE id = \(id) AND revoked_at IS NULL RETURNING id").isEmpty
    }

    /// How many tokens exist, revoked ones included.
    package func tokenCount() async throws -> Int {
        Int(try await rows("SELECT count(*) AS tokens FROM api_tokens").first?.value("tokens", as: Int64.self) ?? 0)
    }

    static func apiToken(_ row: PostgresRandomAccessRow) throws -> APIToken {
        let scopeNames = try JSONDecoder().decode([String].self, from: Data(try row.text("scopes").utf8))
        let allowList = try JSONDecoder().decode(TokenAllowList.self, from: Data(try row.text("allow_list").utf8))
        return APIToken(
            id: try row.text("id"), name: try row.text("name"), hash: try row.text("hash"), hint: try row.text("hint"),
            scopes: Set(scopeNames.compactMap(TokenScope.init(rawValue:))), isAdmin: try row.bool("is_admin"), allowList: allowList,
            createdAt: try row.date("created_at"), createdBy: try row.text("created_by"), expiresAt: try row.optionalDate("expires_at"),
            revokedAt: try row.optionalDate("revoked_at"))
    }
}
