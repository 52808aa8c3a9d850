package import Foundation
package import Freshet
import PostgresNIO

extension PostgresStore: SessionStore {
    /// The stored session of the connection `connectionId`, or nil.
    package func session(connectionId: String) async throws -> StoredSession? {
        guard let row = try await rows("SELECT * FROM sessions WHERE connection_id = \(connectionId)").first else { return nil }
        return StoredSession(
            connectionId: try row.text("connection_id"), sealedToken: try row.text("sealed_token"), siteId: try row.text("site_id"),
            siteContentUrl: try row.text("site_content_url"), userId: try row.text("user_id"), apiVersion: try row.text("api_version"),
            signedInAt: try row.date("signed_in_at"), expiresAt: try row.date("expires_at"))
    }

    /// Stores `session` as its connection's session, replacing any other.
    /// - Throws: ``StoreError`` when no connection has `session.connectionId`.
    package func save(_ session: StoredSession) async throws {
        do {
            _ = try await database.rows(
                """
                INSERT INTO sessions (connection_id, sealed_token, site_id, site_content_url, user_id, api_version, signed_in_at, expires_at)
                VALUES (\(session.connectionId), \(session.sealedToken), \(session.siteId), \(session.siteContentUrl), \(session.userId),
                    \(session.apiVersion), \(session.signedInAt.pg), \(session.expiresAt.pg))
                ON CONFLICT (connection_id) DO UPDATE SET sealed_token = excluded.sealed_token, site_id = excluded.site_id,
                    site_content_url = excluded.site_content_url, user_id = excluded.user_id, api_version = excluded.api_version,
                    signed_in_at = excluded.signed_in_at, expires_at = excluded.expires_at
                """)
        } catch let error as StoreError where error.description.contains("sessions_connection_id_fkey") {
            throw StoreError(.notFound, "No connection with id \(session.connectionId) to keep a session for")
        }
    }

    /// Removes the session of `connectionId`, but only if it still holds `sealedToken` when given
    /// (so a process does not discard a session another one has just renewed).
    package func deleteSession(connectionId: String, sealedToken: String?) async throws {
        _ = try await database.rows(
            "DELETE FROM sessions WHERE connection_id = \(connectionId) AND (\(sealedToken)::text IS NULL OR sealed_token = \(sealedToken))")
    }

    /// Takes the lease `name` for `holder` until `until` when it is free, expired
    /// (`expires_at <= now`) or already `holder`'s; one statement, so atomic across processes.
    package func acquireLease(_ name: String, holder: String, until: Date, now: Date) async throws -> Bool {
        try await !rows(
            """
            INSERT INTO leases (name, holder, expires_at) VALUES (\(name), \(holder), \(until.pg))
            ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
            WHERE leases.holder = excluded.holder OR leases.expires_at <= \(now.pg)
            RETURNING name
            """
        ).isEmpty
    }

    /// Gives up the lease `name` if `holder` has it.
    package func releaseLease(_ name: String, holder: String) async throws {
        _ = try await database.rows("DELETE FROM leases WHERE name = \(name) AND holder = \(holder)")
    }
}
