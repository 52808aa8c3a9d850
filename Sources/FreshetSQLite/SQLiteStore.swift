import Foundation
import Freshet
import GRDB

/// The engine's stores (``ConnectionStore``, ``SessionStore``, ``AuditStore``) on a
/// ``SQLiteDatabase``. Every operation is one SQLite transaction, so processes sharing the
/// database file see each other's changes whole or not at all.
package struct SQLiteStore: Sendable {
    /// The database the stores read and write.
    package let database: SQLiteDatabase

    /// Stores on `database` (already migrated when it was opened).
    package init(database: SQLiteDatabase) {
        self.database = database
    }

    var writer: any DatabaseWriter { database.writer }

    /// Runs `body` in a transaction shared with concurrent writes (``GroupCommit``).
    func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await database.write(body)
    }

    /// Reads a non-null text column, or throws when it is missing (a damaged row).
    static func text(_ row: Row, _ column: String) throws -> String {
        guard let value: String = row[column] else { throw StoreError(.corrupt, "The database has no \(column) in a stored row") }
        return value
    }

    /// Reads a stored timestamp column (see ``SQLiteTimestamp``).
    static func date(_ row: Row, _ column: String) throws -> Date {
        let value = try text(row, column)
        guard let date = SQLiteTimestamp.date(value) else { throw StoreError(.corrupt, "The database holds an invalid \(column): \(value)") }
        return date
    }

    /// Reads a nullable stored timestamp column.
    static func optionalDate(_ row: Row, _ column: String) throws -> Date? {
        guard let _: String = row[column] else { return nil }
        return try date(row, column)
    }
}
