package import Foundation
package import Freshet
import GRDB

extension SQLiteStore: CredentialLifetimeStore {
    /// Records a sign-in; a connection removed meanwhile records nothing.
    package func recordSignIn(connectionId: String, at: Date, expiresAt: Date?) async throws {
        try await write { db in
            try db.execute(
                sql: """
                    INSERT INTO credential_lifetimes (connection_id, expires_at, last_used_at)
                    SELECT ?, ?, ? WHERE EXISTS (SELECT 1 FROM connections WHERE id = ?)
                    ON CONFLICT (connection_id) DO UPDATE SET expires_at = excluded.expires_at, last_used_at = excluded.last_used_at
                    """,
                arguments: [connectionId, expiresAt.map(SQLiteTimestamp.text), SQLiteTimestamp.text(at), connectionId])
        }
    }

    package func credentialLifetime(connectionId: String) async throws -> CredentialLifetime? {
        try await writer.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM credential_lifetimes WHERE connection_id = ?", arguments: [connectionId]).map(Self.lifetime)
        }
    }

    package func credentialLifetimes() async throws -> [CredentialLifetime] {
        try await writer.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM credential_lifetimes ORDER BY connection_id").map(Self.lifetime)
        }
    }

    private static func lifetime(_ row: Row) throws -> CredentialLifetime {
        let expires: String? = row["expires_at"]
        return CredentialLifetime(
            connectionId: try text(row, "connection_id"), expiresAt: try expires.map { text in
                guard let date = SQLiteTimestamp.date(text) else { throw StoreError("The database holds an invalid time: \(text)") }
                return date
            }, lastUsedAt: try date(row, "last_used_at"))
    }
}
