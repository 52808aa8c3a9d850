package import Foundation
package import Freshet
import GRDB

extension SQLiteStore: SessionStore {
    /// The stored session of the connection `connectionId`, or nil.
    package func session(connectionId: String) async throws -> StoredSession? {
        try await writer.read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM sessions WHERE connection_id = ?", arguments: [connectionId]) else {
                return nil
            }
            return StoredSession(
                connectionId: try Self.text(row, "connection_id"), sealedToken: try Self.text(row, "sealed_token"),
                siteId: try Self.text(row, "site_id"), siteContentUrl: try Self.text(row, "site_content_url"),
                userId: try Self.text(row, "user_id"), apiVersion: try Self.text(row, "api_version"),
                signedInAt: try Self.date(row, "signed_in_at"), expiresAt: try Self.date(row, "expires_at"))
        }
    }

    /// Stores `session` as its connection's session, replacing any other.
    /// - Throws: ``StoreError`` when no connection has `session.connectionId`.
    package func save(_ session: StoredSession) async throws {
        try await write { db in
            do {
                try db.executeCached(
                    sql: """
                        INSERT INTO sessions (connection_id, sealed_token, site_id, site_content_url, user_id, api_version,
                            signed_in_at, expires_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                        ON CONFLICT (connection_id) DO UPDATE SET sealed_token = excluded.sealed_token, site_id = excluded.site_id,
                            site_content_url = excluded.site_content_url, user_id = excluded.user_id,
                            api_version = excluded.api_version, signed_in_at = excluded.signed_in_at, expires_at = excluded.expires_at
                        """,
                    arguments: [
                        session.connectionId, session.sealedToken, session.siteId, session.siteContentUrl, session.userId,
                        session.apiVersion, SQLiteTimestamp.text(session.signedInAt), SQLiteTimestamp.text(session.expiresAt),
                    ])
            } catch let error as DatabaseError where error.extendedResultCode == .SQLITE_CONSTRAINT_FOREIGNKEY {
                throw StoreError(.notFound, "No connection with id \(session.connectionId) to keep a session for")
            }
        }
    }

    /// Removes the session of `connectionId`, but only if it still holds `sealedToken` when given
    /// (so a process does not discard a session another one has just renewed).
    package func deleteSession(connectionId: String, sealedToken: String?) async throws {
        try await write { db in
            try db.executeCached(
                sql: "DELETE FROM sessions WHERE connection_id = ? AND (?2 IS NULL OR sealed_token = ?2)",
                arguments: [connectionId, sealedToken])
        }
    }

    /// Takes the lease `name` for `holder` until `until` when it is free, expired
    /// (`expires_at <= now`) or already `holder`'s; one statement, so atomic across processes.
    package func acquireLease(_ name: String, holder: String, until: Date, now: Date) async throws -> Bool {
        try await write { db in
            try db.executeCached(
                sql: """
                    INSERT INTO leases (name, holder, expires_at) VALUES (?, ?, ?)
                    ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
                    WHERE leases.holder = excluded.holder OR leases.expires_at <= ?
                    """,
                arguments: [name, holder, SQLiteTimestamp.text(until), SQLiteTimestamp.text(now)])
            return db.changesCount > 0
        }
    }

    /// Gives up the lease `name` if `holder` has it.
    package func releaseLease(_ name: String, holder: String) async throws {
        try await write { db in
            try db.executeCached(sql: "DELETE FROM leases WHERE name = ? AND holder = ?", arguments: [name, holder])
        }
    }
}
