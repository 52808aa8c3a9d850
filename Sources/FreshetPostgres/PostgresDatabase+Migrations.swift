import Foundation
import Freshet
import PostgresNIO

/// A database written by a newer Freshet than this one.
package struct PostgresSchemaError: Error, Sendable, Equatable, CustomStringConvertible {
    package let description: String
}

extension PostgresDatabase {
    /// The schema version this build writes (the number of migrations it knows).
    package static var latestSchemaVersion: Int { PostgresSchema.migrations.count }

    /// Names of the migrations this build knows, in order.
    package static var knownMigrations: [String] { PostgresSchema.migrations.map(\.name) }

    /// Applies the migrations this build knows that the database lacks, each in its own
    /// transaction, holding a session advisory lock meanwhile so that N processes starting at
    /// once migrate one after another (the later ones find nothing left to do). Returns the
    /// names of the migrations applied.
    /// - Throws: ``PostgresSchemaError`` when the database was written by a newer Freshet
    ///   (nothing is changed), or ``StoreError`` when PostgreSQL fails.
    @discardableResult
    package func migrate(upTo lastVersion: Int? = nil) async throws -> [String] {
        let target = min(lastVersion ?? Self.latestSchemaVersion, Self.latestSchemaVersion)
        let lockKey = "freshet.migrate." + (schema ?? "default")
        let logger = self.logger
        do {
            return try await withLease { connection in
                try await connection.query("SELECT pg_advisory_lock(hashtext(\(lockKey)))", logger: logger)
                do {
                    let applied = try await self.migrate(on: connection, upTo: target)
                    try await connection.query("SELECT pg_advisory_unlock(hashtext(\(lockKey)))", logger: logger)
                    return applied
                } catch {
                    _ = try? await connection.query("SELECT pg_advisory_unlock(hashtext(\(lockKey)))", logger: logger)
                    throw error
                }
            }
        } catch let error as PostgresSchemaError {
            throw error
        } catch {
            throw Self.storeError(error)
        }
    }

    /// The highest schema version applied, or nil for a database Freshet never migrated.
    package func schemaVersion() async throws -> Int? {
        let rows = try await self.rows(
            "SELECT CASE WHEN to_regclass('freshet_schema_version') IS NULL THEN NULL ELSE 0 END")
        guard try rows.first?.decode(Int?.self) != nil else { return nil }
        return try await self.rows("SELECT max(version) FROM freshet_schema_version").first?.decode(Int?.self)
    }

    /// Writes without changing anything (the newest schema version row is rewritten in place),
    /// for a readiness check: throws when PostgreSQL is unreachable or refuses writes.
    package func probeWrite() async throws {
        _ = try await rows(
            "UPDATE freshet_schema_version SET version = version WHERE version = (SELECT max(version) FROM freshet_schema_version)")
    }

    /// Whether every migration this build knows has been applied and none it does not know.
    package func isMigrated() async throws -> Bool {
        try await schemaVersion() == Self.latestSchemaVersion
    }

    private func migrate(on connection: PostgresConnection, upTo target: Int) async throws -> [String] {
        if let schema {
            // `schema` is a plain identifier (checked in init), so it may stand in the SQL text.
            try await connection.query(PostgresQuery(unsafeSQL: "CREATE SCHEMA IF NOT EXISTS \(schema)"), logger: logger)
        }
        try await connection.query(
            """
            CREATE TABLE IF NOT EXISTS freshet_schema_version (
                version INTEGER NOT NULL PRIMARY KEY,
                name TEXT NOT NULL,
                applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
            )
            """, logger: logger)
        let current = try await Self.rows("SELECT coalesce(max(version), 0) FROM freshet_schema_version", on: connection, logger: logger)
            .first?.decode(Int.self) ?? 0
        guard current <= Self.latestSchemaVersion else {
            throw PostgresSchemaError(
                description: "The database \(url) has schema version \(current), written by a newer Freshet; this one knows up to "
                    + "version \(Self.latestSchemaVersion). Upgrade freshet before using this database.")
        }
        var applied: [String] = []
        for version in (current + 1)...max(current + 1, target) where version <= target {
            let migration = PostgresSchema.migrations[version - 1]
            try await connection.query("BEGIN", logger: logger)
            do {
                for statement in migration.statements {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                try await connection.query(
                    "INSERT INTO freshet_schema_version (version, name) VALUES (\(version), \(migration.name))", logger: logger)
                try await connection.query("COMMIT", logger: logger)
            } catch {
                _ = try? await connection.query("ROLLBACK", logger: logger)
                throw error
            }
            logger.info("Applied PostgreSQL migration", metadata: ["version": "\(version)", "name": "\(migration.name)"])
            applied.append(migration.name)
        }
        return applied
    }
}
