import Freshet
package import FreshetPostgres
package import FreshetSQLite

/// The database behind a runtime's stores, as `/ready`, `freshet migrate` and the HTTP layer see it.
package protocol StoreDatabase: Sendable {
    /// Whether the database has every migration this build knows (and none it does not).
    func isMigrated() async throws -> Bool
    /// The applied schema version, as shown by `/ready` (nil: never migrated).
    func schemaVersionName() async throws -> String?
    /// Returns when every commit made so far is on disk.
    func waitUntilDurable() async throws
    /// Writes without changing anything, for a readiness check: throws when writes fail.
    func probeWrite() async throws
    /// Where the database is, safe to show (never a password).
    var location: String { get }
}

extension SQLiteDatabase: StoreDatabase {
    package func schemaVersionName() async throws -> String? { try await schemaVersion() }
    package var location: String { path ?? "in memory" }
}

extension PostgresDatabase: StoreDatabase {
    package func schemaVersionName() async throws -> String? { try await schemaVersion().map { "\($0)" } }
    /// PostgreSQL's commits are durable when they return (`synchronous_commit`).
    package func waitUntilDurable() async throws {}
    package var location: String { url.description }
}
