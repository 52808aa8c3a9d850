package import Foundation
package import Freshet
import PostgresNIO

extension PostgresStore: CredentialLifetimeStore {
    /// Records a sign-in; a connection removed meanwhile records nothing.
    package func recordSignIn(connectionId: String, at: Date, expiresAt: Date?) async throws {
        _ = try await database.rows(
            """
            INSERT INTO credential_lifetimes (connection_id, expires_at, last_used_at)
            SELECT \(connectionId), \(expiresAt.map(\.pg)), \(at.pg) WHERE EXISTS (SELECT 1 FROM connections WHERE id = \(connectionId))
            ON CONFLICT (connection_id) DO UPDATE SET expires_at = excluded.expires_at, last_used_at = excluded.last_used_at
            """)
    }

    package func credentialLifetime(connectionId: String) async throws -> CredentialLifetime? {
        try await rows("SELECT * FROM credential_lifetimes WHERE connection_id = \(connectionId)").first.map(Self.lifetime)
    }

    package func credentialLifetimes() async throws -> [CredentialLifetime] {
        try await rows("SELECT * FROM credential_lifetimes ORDER BY connection_id").map(Self.lifetime)
    }

    private static func lifetime(_ row: PostgresRandomAccessRow) throws -> CredentialLifetime {
        CredentialLifetime(
            connectionId: try row.text("connection_id"), expiresAt: try row.optionalDate("expires_at"), lastUsedAt: try row.date("last_used_at"))
    }
}
