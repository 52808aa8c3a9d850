import Foundation
package import Freshet
import GRDB

extension SQLiteStore: ConnectionStore {
    /// Adds a connection; throws ``StoreError/duplicateName(_:)`` when the name is taken.
    package func insert(_ stored: StoredConnection) async throws {
        let row = ConnectionColumns(stored.connection)
        let sealed = stored.sealedSecret
        try await write { db in
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM connections WHERE name = ?", arguments: [row.name]) != nil {
                throw StoreError.duplicateName(row.name)
            }
            do {
                try db.execute(
                    sql: """
                        INSERT INTO connections (id, name, server_host, uses_http, site_content_url, auth_kind, pat_name,
                            client_id, secret_id, username, scopes, api_version_pin, secret_ref, keep_alive_days, expiry_warning_days,
                            sealed_secret, created_at, updated_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: StatementArguments([row.id] + row.values + [sealed, row.createdAtText, row.updatedAtText]))
            } catch let error as DatabaseError where error.extendedResultCode == .SQLITE_CONSTRAINT_PRIMARYKEY {
                throw StoreError(.conflict, "A connection with id \(row.id) already exists")
            }
        }
    }

    /// Replaces the connection with `connection.id`; its sealed secret only when `sealedSecret`
    /// is given. The creation time is kept as stored.
    package func update(_ connection: Connection, sealedSecret: String?) async throws {
        let row = ConnectionColumns(connection)
        try await write { db in
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM connections WHERE name = ? AND id <> ?", arguments: [row.name, row.id]) != nil {
                throw StoreError.duplicateName(row.name)
            }
            try db.execute(
                sql: """
                    UPDATE connections SET name = ?, server_host = ?, uses_http = ?, site_content_url = ?, auth_kind = ?,
                        pat_name = ?, client_id = ?, secret_id = ?, username = ?, scopes = ?, api_version_pin = ?,
                        secret_ref = ?, keep_alive_days = ?, expiry_warning_days = ?, sealed_secret = COALESCE(?, sealed_secret), updated_at = ?
                    WHERE id = ?
                    """,
                arguments: StatementArguments(row.values + [sealedSecret, row.updatedAtText, row.id]))
            if db.changesCount == 0 { throw StoreError.notFound(row.name) }
        }
    }

    /// The connection named exactly `name`, or nil.
    package func connection(named name: String) async throws -> StoredConnection? {
        try await writer.read { db in
            try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM connections WHERE name = ?"), arguments: [name]).map(ConnectionColumns.stored)
        }
    }

    /// The connection with `id`, or nil.
    package func connection(id: String) async throws -> StoredConnection? {
        try await writer.read { db in
            try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM connections WHERE id = ?"), arguments: [id]).map(ConnectionColumns.stored)
        }
    }

    /// All connections, by name.
    package func connections() async throws -> [StoredConnection] {
        try await writer.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM connections ORDER BY name").map(ConnectionColumns.stored)
        }
    }

    /// Removes a connection; its session goes with it (foreign key cascade).
    package func delete(id: String) async throws -> Bool {
        try await write { db in
            try db.execute(sql: "DELETE FROM connections WHERE id = ?", arguments: [id])
            return db.changesCount > 0
        }
    }

    /// Re-seals every connection secret and session token in one write transaction: when
    /// `transform` throws, nothing is changed. Returns how many values were passed through it.
    package func resealAll(_ transform: @Sendable (String) throws -> String) async throws -> Int {
        try await writer.write { db in
            var count = 0
            for row in try Row.fetchAll(db, sql: "SELECT id, sealed_secret FROM connections WHERE sealed_secret <> ''") {
                let id: String = try Self.text(row, "id")
                let resealed = try transform(try Self.text(row, "sealed_secret"))
                try db.execute(sql: "UPDATE connections SET sealed_secret = ? WHERE id = ?", arguments: [resealed, id])
                count += 1
            }
            for row in try Row.fetchAll(db, sql: "SELECT connection_id, sealed_token FROM sessions") {
                let id: String = try Self.text(row, "connection_id")
                let resealed = try transform(try Self.text(row, "sealed_token"))
                try db.execute(sql: "UPDATE sessions SET sealed_token = ? WHERE connection_id = ?", arguments: [resealed, id])
                count += 1
            }
            return count + (try Self.resealAlertRoutes(db, transform))
        }
    }

    /// Ids of the keys that sealed the stored connection secrets, session tokens and alert routes.
    package func sealingKeyIds() async throws -> Set<String> {
        try await writer.read { db in try Self.sealingKeyIds(db) }
    }

    /// ``sealingKeyIds()`` without suspending, for opening a data directory.
    package func sealingKeyIdsNow() throws -> Set<String> {
        try writer.read { db in try Self.sealingKeyIds(db) }
    }

    private static func sealingKeyIds(_ db: Database) throws -> Set<String> {
        let sealed = try String.fetchAll(
            db,
            sql: """
                SELECT sealed_secret FROM connections UNION ALL SELECT sealed_token FROM sessions
                UNION ALL SELECT sealed_url FROM alert_routes UNION ALL SELECT sealed_secret FROM alert_routes WHERE sealed_secret IS NOT NULL
                """)
        return Set(sealed.compactMap(Keyring.keyId(of:)))
    }
}
