package import Foundation
package import Freshet
import GRDB

extension SQLiteStore: TokenStore {
    /// Adds `token` (its hash, never its text); throws ``StoreError`` when the name is taken.
    package func insertToken(_ token: APIToken) async throws {
        let scopes = try Self.jsonText(token.scopes.sorted().map(\.rawValue))
        let allowList = try Self.jsonText(token.allowList)
        try await write { db in
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM api_tokens WHERE name = ?", arguments: [token.name]) != nil {
                throw StoreError(.conflict, "An API token named \"\(token.name)\" already exists")
            }
            try db.execute(
                sql: """
                    INSERT INTO api_tokens (id, name, hash, hint, scopes, is_admin, allow_list, created_at, created_by, expires_at, revoked_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    token.id, token.name, token.hash, token.hint, scopes, token.isAdmin, allowList, SQLiteTimestamp.text(token.createdAt),
                    token.createdBy, token.expiresAt.map(SQLiteTimestamp.text), token.revokedAt.map(SQLiteTimestamp.text),
                ])
        }
    }

    /// The token whose hash is `hash`, or nil.
    package func token(hash: String) async throws -> APIToken? {
        try await writer.read { db in
            try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM api_tokens WHERE hash = ?"), arguments: [hash]).map(Self.apiToken)
        }
    }

    /// The token with this id, else the one with this name.
    package func token(idOrName: String) async throws -> APIToken? {
        try await writer.read { db in
            try Row.fetchOne(
                db, sql: "SELECT * FROM api_tokens WHERE id = ? OR name = ? ORDER BY id = ? DESC LIMIT 1",
                arguments: [idOrName, idOrName, idOrName]
            ).map(Self.apiToken)
        }
    }

    /// All tokens, by name.
    package func tokens() async throws -> [APIToken] {
        try await writer.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM api_tokens ORDER BY name").map(Self.apiToken)
        }
    }

    /// Marks the token revoked at `at` unless it already is.
    package func revokeToken(id: String, at: Date) async throws -> Bool {
        try await write { db in
            try db.execute(
                sql: "UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", arguments: [SQLiteTimestamp.text(at), id])
            return db.changesCount > 0
        }
    }

    /// How many tokens exist, revoked ones included.
    package func tokenCount() async throws -> Int {
        try await writer.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM api_tokens") ?? 0 }
    }

    static func apiToken(_ row: Row) throws -> APIToken {
        let scopeNames = try JSONDecoder().decode([String].self, from: Data(try text(row, "scopes").utf8))
        let scopes = Set(scopeNames.compactMap(TokenScope.init(rawValue:)))
        let allowList = try JSONDecoder().decode(TokenAllowList.self, from: Data(try text(row, "allow_list").utf8))
        let expiresAt: String? = row["expires_at"]
        let revokedAt: String? = row["revoked_at"]
        return APIToken(
            id: try text(row, "id"), name: try text(row, "name"), hash: try text(row, "hash"), hint: try text(row, "hint"), scopes: scopes,
            isAdmin: row["is_admin"] ?? false, allowList: allowList, createdAt: try date(row, "created_at"),
            createdBy: try text(row, "created_by"), expiresAt: expiresAt.flatMap(SQLiteTimestamp.date),
            revokedAt: revokedAt.flatMap(SQLiteTimestamp.date))
    }

    static func jsonText(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}
