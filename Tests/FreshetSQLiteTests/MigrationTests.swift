import Foundation
import Freshet
import FreshetSQLite
import GRDB
import Testing

@Suite struct MigrationTests {
    @Test func aFreshFileIsMigratedAndOwnerOnly() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let database = try SQLiteDatabase(path: directory.databasePath)
        defer { try? database.close() }
        #expect(try await database.isMigrated())
        #expect(try await database.schemaVersion() == SQLiteDatabase.latestSchemaVersion)
        // Shipped migrations keep their order; later ones are appended after them.
        #expect(SQLiteDatabase.knownMigrations.starts(with: ["v1_connections", "v1_sessions", "v1_leases", "v1_audit", "v2_runs", "v3_run_keys"]))
        let tables = try await database.writer.read { db in
            try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
        }
        #expect(Set(tables).isSuperset(of: ["audit_log", "connections", "grdb_migrations", "leases", "run_keys", "runs", "sessions"]))
        let journal = try await database.writer.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") }
        #expect(journal == "wal")
        let permissions = try FileManager.default.attributesOfItem(atPath: directory.databasePath)[.posixPermissions] as? Int
        #expect(permissions == 0o600)
    }

    @Test func reopeningIsANoOpThatKeepsData() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let first = try SQLiteDatabase(path: directory.databasePath)
        try await SQLiteStore(database: first).insert(StoredConnection(connection: try Fixtures.patConnection(), sealedSecret: "fsk1:k1:A"))
        try first.close()

        let second = try SQLiteDatabase(path: directory.databasePath)
        defer { try? second.close() }
        let applied = try await second.writer.read { db in try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations") }
        #expect(applied.count == SQLiteDatabase.knownMigrations.count)
        #expect(try await SQLiteStore(database: second).connection(named: "prod") != nil)
    }

    @Test func aDatabaseFromAnOlderVersionOpensAndIsMigratedForward() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let old = try SQLiteDatabase(path: directory.databasePath, migratingUpTo: "v1_sessions")
        #expect(try await old.isMigrated() == false)
        #expect(try await old.schemaVersion() == "v1_sessions")
        // Written with that version's columns (today's store writes columns added later).
        let time = SQLiteTimestamp.text(Fixtures.now)
        try await old.writer.write { db in
            try db.execute(
                sql: """
                    INSERT INTO connections (id, name, server_host, uses_http, site_content_url, auth_kind, pat_name, sealed_secret, created_at, updated_at)
                    VALUES ('c1', 'prod', 'tableau.example.com', 0, 'finance', 'personal_access_token', 'freshet-pat', 'fsk1:k1:A', ?, ?)
                    """,
                arguments: [time, time])
        }
        try old.close()

        let current = try SQLiteDatabase(path: directory.databasePath)
        defer { try? current.close() }
        #expect(try await current.isMigrated())
        let store = SQLiteStore(database: current)
        #expect(try await store.connection(named: "prod")?.sealedSecret == "fsk1:k1:A")
        #expect(try await store.connection(named: "prod")?.connection.secretReference == nil)
        #expect(try await store.connection(named: "prod")?.connection.keepAliveDays == nil)
        #expect(try await store.acquireLease("l", holder: "A", until: Fixtures.later(1_000), now: Fixtures.now))
    }

    @Test func aDatabaseFromANewerVersionIsRefused() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let database = try SQLiteDatabase(path: directory.databasePath)
        try await database.writer.write { db in try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v9_future')") }
        try database.close()

        do {
            _ = try SQLiteDatabase(path: directory.databasePath)
            Issue.record("a database from a newer Freshet was opened")
        } catch let error as SQLiteDatabaseError {
            #expect(error.description.contains("\"v9_future\""))
            #expect(error.description.contains("\"\(SQLiteDatabase.latestSchemaVersion)\""))
            #expect(error.description.contains("newer version of Freshet"))
        }
    }

    @Test func withoutMigratingAMissingOrOlderDatabaseIsRefusedUnchanged() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        do {
            _ = try SQLiteDatabase(path: directory.databasePath, migrate: false)
            Issue.record("a missing database was opened without migrating")
        } catch let error as SQLiteDatabaseError {
            #expect(error.description.contains("does not exist") && error.description.contains("freshet migrate"), "\(error)")
        }
        #expect(!FileManager.default.fileExists(atPath: directory.databasePath))

        try SQLiteDatabase(path: directory.databasePath, migratingUpTo: "v1_sessions").close()
        do {
            _ = try SQLiteDatabase(path: directory.databasePath, migrate: false)
            Issue.record("an older database was opened without migrating")
        } catch let error as SQLiteDatabaseError {
            #expect(error.description.contains("is at schema version \"v1_sessions\""), "\(error)")
            #expect(error.description.contains("\"\(SQLiteDatabase.latestSchemaVersion)\"") && error.description.contains("run `freshet migrate`"))
        }
        let applied = try await SQLiteDatabase(path: directory.databasePath, migratingUpTo: "v1_sessions").writer.read { db in
            try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY identifier")
        }
        #expect(applied == ["v1_connections", "v1_sessions"])

        try SQLiteDatabase(path: directory.databasePath).close()
        let current = try SQLiteDatabase(path: directory.databasePath, migrate: false)
        defer { try? current.close() }
        #expect(try await current.isMigrated())
    }

    @Test func inMemoryDatabasesAreMigratedAndSeparate() async throws {
        let one = try SQLiteDatabase.inMemory()
        let two = try SQLiteDatabase.inMemory()
        #expect(try await one.isMigrated())
        #expect(one.path == nil)
        try await SQLiteStore(database: one).insert(StoredConnection(connection: try Fixtures.patConnection(), sealedSecret: "fsk1:k1:A"))
        #expect(try await SQLiteStore(database: two).connections().isEmpty)
    }
}
