import Foundation
package import Freshet
import PostgresNIO

extension PostgresStore: ConnectionStore {
    /// Adds a connection; throws ``StoreError/duplicateName(_:)`` when the name is taken.
    package func insert(_ stored: StoredConnection) async throws {
        let c = ConnectionColumns(stored.connection)
        do {
            _ = try await database.rows(
                """
                INSERT INTO connections (id, name, server_host, uses_http, site_content_url, auth_kind, pat_name, client_id, secret_id,
                    username, scopes, api_version_pin, secret_ref, keep_alive_days, expiry_warning_days, sealed_secret, created_at, updated_at)
                VALUES (\(c.id), \(c.name), \(c.serverHost), \(c.usesHTTP), \(c.siteContentUrl), \(c.authKind), \(c.patName),
                    \(c.clientId), \(c.secretId), \(c.username), \(c.scopes), \(c.apiVersionPin), \(c.secretRef), \(c.keepAliveDays),
                    \(c.expiryWarningDays), \(stored.sealedSecret), \(c.createdAt.pg), \(c.updatedAt.pg))
                """)
        } catch let error as StoreError where error.description.contains("connections_name_unique") {
            throw StoreError.duplicateName(c.name)
        } catch let error as StoreError where error.description.contains("connections_pkey") {
            throw StoreError(.conflict, "A connection with id \(c.id) already exists")
        }
    }

    /// Replaces the connection with `connection.id`; its sealed secret only when `sealedSecret`
    /// is given. The creation time is kept as stored.
    package func update(_ connection: Connection, sealedSecret: String?) async throws {
        let c = ConnectionColumns(connection)
        let updated: [PostgresRandomAccessRow]
        do {
            updated = try await rows(
                """
                UPDATE connections SET name = \(c.name), server_host = \(c.serverHost), uses_http = \(c.usesHTTP),
                    site_content_url = \(c.siteContentUrl), auth_kind = \(c.authKind), pat_name = \(c.patName), client_id = \(c.clientId),
                    secret_id = \(c.secretId), username = \(c.username), scopes = \(c.scopes), api_version_pin = \(c.apiVersionPin),
                    secret_ref = \(c.secretRef), keep_alive_days = \(c.keepAliveDays), expiry_warning_days = \(c.expiryWarningDays),
                    sealed_secret = COALESCE(\(sealedSecret), sealed_secret), updated_at = \(c.updatedAt.pg)
                WHERE id = \(c.id) RETURNING id
                """)
        } catch let error as StoreError where error.description.contains("connections_name_unique") {
            throw StoreError.duplicateName(c.name)
        }
        if updated.isEmpty { throw StoreError.notFound(c.name) }
    }

    /// The connection named exactly `name`, or nil.
    package func connection(named name: String) async throws -> StoredConnection? {
        try await rows("SELECT * FROM connections WHERE name = \(name)").first.map { try ConnectionColumns.stored(PostgresRowReader(row: $0)) }
    }

    /// The connection with `id`, or nil.
    package func connection(id: String) async throws -> StoredConnection? {
        try await rows("SELECT * FROM connections WHERE id = \(id)").first.map { try ConnectionColumns.stored(PostgresRowReader(row: $0)) }
    }

    /// All connections, by name.
    package func connections() async throws -> [StoredConnection] {
        try await rows("SELECT * FROM connections ORDER BY name").map { try ConnectionColumns.stored(PostgresRowReader(row: $0)) }
    }

    /// Removes a connection; its session goes with it (foreign key cascade).
    package func delete(id: String) async throws -> Bool {
        try await !rows("DELETE FROM connections WHERE id = \(id) RETURNING id").isEmpty
    }

    /// Re-seals every connection secret and session token in one transaction (rows locked
    /// meanwhile): when `transform` throws, nothing is changed. Returns how many values it re-sealed
    /// (connections whose secret lives behind a reference have none).
    package func resealAll(_ transform: @Sendable (String) throws -> String) async throws -> Int {
        try await database.transactionWithoutTimeout { connection in
            var count = 0
            for row in try await rows("SELECT id, sealed_secret FROM connections WHERE sealed_secret <> '' FOR UPDATE", on: connection) {
                let resealed = try transform(try row.text("sealed_secret"))
                try await connection.query("UPDATE connections SET sealed_secret = \(resealed) WHERE id = \(try row.text("id"))", logger: logger)
                count += 1
            }
            for row in try await rows("SELECT connection_id, sealed_token FROM sessions FOR UPDATE", on: connection) {
                let resealed = try transform(try row.text("sealed_token"))
                try await connection.query(
                    "UPDATE sessions SET sealed_token = \(resealed) WHERE connection_id = \(try row.text("connection_id"))", logger: logger)
                count += 1
            }
            return count + (try await resealAlertRoutes(transform, on: connection))
        }
    }

    /// Ids of the keys that sealed the stored connection secrets, session tokens and alert routes.
    package func sealingKeyIds() async throws -> Set<String> {
        let sealed = try await rows(
            """
            SELECT sealed_secret AS sealed FROM connections UNION ALL SELECT sealed_token FROM sessions
            UNION ALL SELECT sealed_url FROM alert_routes UNION ALL SELECT sealed_secret FROM alert_routes WHERE sealed_secret IS NOT NULL
            """)
        return Set(try sealed.map { try $0.text("sealed") }.compactMap(Keyring.keyId(of:)))
    }
}
