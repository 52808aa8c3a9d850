package import Foundation
package import GRDB

/// Freshet's SQLite database: a file shared by any number of `freshet` processes (WAL mode,
/// waits up to ``busyTimeout`` for another process's write), or a private in-memory database.
///
/// Opening migrates the schema forward (``SQLiteSchema``); a database written by a newer Freshet
/// is refused with ``SQLiteDatabaseError``.
package final class SQLiteDatabase: Sendable {
    /// How long a write waits for another connection or process to finish its own.
    package static let busyTimeout: TimeInterval = 5

    /// Identifiers of the schema migrations this build knows, in order.
    package static var knownMigrations: [String] { SQLiteSchema.migrationIdentifiers }

    /// The schema version this build writes: its last migration.
    package static var latestSchemaVersion: String { knownMigrations.last ?? "" }

    /// The file path, or nil for an in-memory database.
    package let path: String?

    /// The GRDB connection(s), for the stores of this module and tests.
    package let writer: any DatabaseWriter

    /// Commits the stores' writes, those asked for at the same time in one transaction.
    private let commits: GroupCommit

    /// Flushes the file's write-ahead log, one flush for concurrent callers; nil in memory.
    private let logSync: WriteAheadLogSync?

    /// Checkpoints the file's log beside the writer; nil in memory.
    private let checkpointer: WriteAheadLogCheckpointer?

    /// Opens (creating if needed, with its parent directories) the database file at `path` and
    /// migrates it. A new file is readable by its owner only. With `migrate` false (`--no-migrate`)
    /// nothing is created or migrated: the file must exist at this build's schema.
    /// - Throws: ``SQLiteDatabaseError`` when the file comes from a newer Freshet, or (`migrate`
    ///   false) is missing or at an older schema; GRDB's error.
    package convenience init(path: String, migrate: Bool = true) throws {
        try self.init(path: path, migratingUpTo: nil, migrate: migrate)
    }

    /// Opens the file at `path` migrated only up to `lastMigration` (tests of old databases).
    package init(path: String, migratingUpTo lastMigration: String?, migrate: Bool = true) throws {
        if !migrate, !FileManager.default.fileExists(atPath: path) {
            throw SQLiteDatabaseError.notMigrated(location: path, state: "does not exist", latestKnown: Self.latestSchemaVersion)
        }
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent().path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        // One process at a time checks, creates and migrates the file: another process opening a
        // new file at the same moment never sees it half-created.
        let lock = try DatabaseFileLock(path: path + ".lock")
        defer { lock.release() }
        try DatabaseFile.check(path)
        // A new file is created owner-only before SQLite opens it: SQLite gives its -wal and -shm
        // files the database file's mode.
        try DatabaseFile.createOwnerOnlyIfMissing(path)
        var configuration = Configuration()
        configuration.busyMode = .timeout(Self.busyTimeout)
        configuration.label = "freshet"
        // Commits reach the operating system at once (they survive the process being killed)
        // and the disk at the next group flush (``waitUntilDurable()``) or checkpoint.
        // Checkpoints run beside the writer (``WriteAheadLogCheckpointer``), never inside a
        // commit; a log grown large is cut back to 16 MB when it restarts.
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL; PRAGMA wal_autocheckpoint = 0; PRAGMA journal_size_limit = 16777216")
        }
        let pool = try DatabasePool(path: path, configuration: configuration)
        let checkpointer = WriteAheadLogCheckpointer(databasePath: path, configuration: configuration)
        pool.add(transactionObserver: checkpointer, extent: .databaseLifetime)
        self.path = path
        self.writer = pool
        self.commits = GroupCommit(writer: pool)
        self.logSync = WriteAheadLogSync(databasePath: path, commits: { [checkpointer] in checkpointer.totalCommits })
        self.checkpointer = checkpointer
        try DatabaseFile.checkIsFreshets(pool, path: path)
        if migrate { try self.migrate(upTo: lastMigration) } else { try requireMigrated() }
    }

    private init(memory writer: DatabaseQueue) throws {
        self.path = nil
        self.writer = writer
        self.commits = GroupCommit(writer: writer)
        self.logSync = nil
        self.checkpointer = nil
        try migrate(upTo: nil)
    }

    /// A new, empty, migrated database that lives in memory until released.
    package static func inMemory() throws -> SQLiteDatabase {
        var configuration = Configuration()
        configuration.label = "freshet-memory"
        return try SQLiteDatabase(memory: DatabaseQueue(configuration: configuration))
    }

    /// Whether every migration this build knows has been applied (for a readiness check).
    package func isMigrated() async throws -> Bool {
        try await writer.read { db in
            try SQLiteSchema.migrator.hasCompletedMigrations(db) && !SQLiteSchema.migrator.hasBeenSuperseded(db)
        }
    }

    /// The last applied migration this build knows, or nil for an empty database.
    package func schemaVersion() async throws -> String? {
        try await writer.read { db in try SQLiteSchema.migrator.completedMigrations(db).last }
    }

    /// Writes to the database without changing anything it holds (the schema version row is
    /// rewritten in place), for a readiness check: throws when writes fail (disk full, read-only
    /// file, I/O error).
    package func probeWrite() async throws {
        try await writer.write { db in
            try db.execute(sql: "UPDATE grdb_migrations SET identifier = identifier WHERE identifier = (SELECT max(identifier) FROM grdb_migrations)")
        }
    }

    /// Runs `body` in a transaction, shared with the writes asked for at the same time
    /// (``GroupCommit``), and returns its result once committed.
    package func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await commits.write(body)
    }

    /// Runs `sql` on the writer connection (tests that stage failures, tools).
    package func execute(_ sql: String) async throws {
        try await writer.write { db in try db.execute(sql: sql) }
    }

    /// Moves the write-ahead log into the database file and empties it.
    package func checkpoint() async throws {
        _ = try await writer.writeWithoutTransaction { db in try db.checkpoint(.truncate) }
    }

    /// Returns when every commit made before the call is on disk, not only in the operating
    /// system's cache (commits survive the process being killed at once; this also covers a
    /// power loss). Concurrent callers share one flush.
    /// - Throws: ``WriteAheadLogSyncError`` when the disk refuses the flush.
    package func waitUntilDurable() async throws {
        try await logSync?.sync()
    }

    /// Closes the database; later use throws.
    package func close() throws {
        checkpointer?.stop()
        try writer.close()
    }

    /// Applies the migrations this build knows, after refusing a database from a newer build.
    /// Several processes may open one new file at once: a migration that loses the race to
    /// another process fails and is retried, then finds itself applied.
    private func migrate(upTo lastMigration: String?) throws {
        let migrator = SQLiteSchema.migrator
        var attempt = 0
        while true {
            try refuseNewerSchema()
            do {
                if let lastMigration {
                    try migrator.migrate(writer, upTo: lastMigration)
                } else {
                    try migrator.migrate(writer)
                }
                return
            } catch is DatabaseError where attempt < 10 {
                attempt += 1
                let done = try writer.read { db in
                    let applied = try migrator.appliedIdentifiers(db)
                    if let lastMigration { return applied.contains(lastMigration) }
                    return try migrator.hasCompletedMigrations(db)
                }
                if done { return }
            }
        }
    }

    /// Throws when the database holds migrations this build does not know (a newer Freshet wrote it).
    private func refuseNewerSchema() throws {
        let unknown = try writer.read { db in
            try SQLiteSchema.migrator.appliedIdentifiers(db).subtracting(SQLiteSchema.migrationIdentifiers)
        }
        guard unknown.isEmpty else {
            throw SQLiteDatabaseError.newerSchema(location: path ?? "in memory", unknown: Array(unknown), latestKnown: Self.latestSchemaVersion)
        }
    }

    /// Throws, changing nothing, unless the database is at exactly this build's schema.
    private func requireMigrated() throws {
        try refuseNewerSchema()
        let (complete, version) = try writer.read { db in
            (try SQLiteSchema.migrator.hasCompletedMigrations(db), try SQLiteSchema.migrator.completedMigrations(db).last)
        }
        guard complete else {
            let state = version.map { "is at schema version \"\($0)\"" } ?? "has no Freshet schema yet"
            throw SQLiteDatabaseError.notMigrated(location: path ?? "in memory", state: state, latestKnown: Self.latestSchemaVersion)
        }
    }
}
