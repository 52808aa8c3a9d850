import Foundation
package import Freshet
import GRDB

/// Everything a SQLite database holds, read in one read transaction without migrating or writing
/// anything: the source of `freshet migrate --from-sqlite` (decision docs/decisions/store-copy.md).
/// Sealed values are carried as stored, never unsealed.
package struct SQLiteSnapshot: Sendable {
    /// The database file.
    package let path: String
    /// Every table Freshet created (all but SQLite's and the migration record), by name, each
    /// with its rows in the order they were written.
    package let tables: [TableRows]

    /// Reads the Freshet database at `path` whole (it is held in memory).
    /// - Throws: ``SQLiteDatabaseError`` when there is no database, it is not Freshet's, or its
    ///   schema is not this build's (an older one must be migrated first, a newer one is refused).
    package static func read(path: String) throws -> SQLiteSnapshot {
        guard FileManager.default.fileExists(atPath: path) else {
            throw SQLiteDatabaseError("There is no Freshet database at \(path) (the data directory's freshet.sqlite).")
        }
        try DatabaseFile.check(path)
        var configuration = Configuration()
        configuration.busyMode = .timeout(SQLiteDatabase.busyTimeout)
        configuration.label = "freshet-snapshot"
        let queue = try DatabaseQueue(path: path, configuration: configuration)
        defer { try? queue.close() }
        let tables = try queue.read { db in
            try checkSchema(db, path: path)
            return try tableNames(db).map { try rows(of: $0, db) }
        }
        return SQLiteSnapshot(path: path, tables: tables)
    }

    /// The tables this build's SQLite schema creates, read from a new in-memory database.
    package static func schemaTableNames() throws -> [String] {
        let database = try SQLiteDatabase.inMemory()
        defer { try? database.close() }
        return try database.writer.read(tableNames)
    }

    private static func tableNames(_ db: Database) throws -> [String] {
        try String.fetchAll(
            db,
            sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'grdb_migrations' ORDER BY name")
    }

    private static func checkSchema(_ db: Database, path: String) throws {
        guard try db.tableExists("grdb_migrations") else {
            throw SQLiteDatabaseError("The database \(path) is not Freshet's (it has no schema version).")
        }
        let applied = try SQLiteSchema.migrator.appliedIdentifiers(db)
        let known = SQLiteSchema.migrationIdentifiers
        let unknown = applied.subtracting(known)
        guard unknown.isEmpty else {
            throw SQLiteDatabaseError.newerSchema(location: path, unknown: Array(unknown), latestKnown: SQLiteDatabase.latestSchemaVersion)
        }
        let missing = known.filter { !applied.contains($0) }
        guard missing.isEmpty else {
            let current = known.last { applied.contains($0) } ?? "none"
            throw SQLiteDatabaseError(
                "The database \(path) is at schema version \"\(current)\", not this freshet's \"\(SQLiteDatabase.latestSchemaVersion)\": "
                    + "run `freshet migrate --data-dir \(URL(fileURLWithPath: path).deletingLastPathComponent().path)` with this freshet first.")
        }
    }

    private static func rows(of table: String, _ db: Database) throws -> TableRows {
        let quoted = table.quotedDatabaseIdentifier
        let columns = try db.columns(in: table).map(\.name)
        var rows: [[TableValue]] = []
        let cursor = try Row.fetchCursor(db, sql: "SELECT * FROM \(quoted) ORDER BY rowid")
        while let row = try cursor.next() {
            rows.append((0..<row.count).map { index in value(row[index] as DatabaseValue) })
        }
        return TableRows(name: table, columns: columns, rows: rows)
    }

    private static func value(_ value: DatabaseValue) -> TableValue {
        switch value.storage {
        case .null: .null
        case .int64(let integer): .integer(integer)
        case .double(let real): .real(real)
        case .string(let text): .text(text)
        case .blob(let data): .blob(Array(data))
        }
    }
}
