import Foundation
import Freshet
import PostgresNIO

/// The engine's stores (connections and sealed secrets, sessions and leases, audit, runs and
/// their keys, job slots, API tokens, access events) on a ``PostgresDatabase``, with the same
/// semantics as the SQLite store. Every operation is one statement or one transaction; writes
/// that SQLite serialises by its single writer take a transaction advisory lock per connection
/// here (see docs/decisions), so any number of processes on any number of hosts can share it.
package struct PostgresStore: Sendable {
    /// The database the stores read and write.
    package let database: PostgresDatabase

    /// Stores on `database` (migrated by ``PostgresDatabase/migrate(upTo:)``).
    package init(database: PostgresDatabase) {
        self.database = database
    }

    var logger: Logger { database.logger }

    /// Runs `query` and returns its rows.
    func rows(_ query: PostgresQuery) async throws -> [PostgresRandomAccessRow] {
        try await database.rows(query).map { $0.makeRandomAccess() }
    }

    /// Runs `query` on `connection` (inside a transaction) and returns its rows.
    func rows(_ query: PostgresQuery, on connection: PostgresConnection) async throws -> [PostgresRandomAccessRow] {
        try await PostgresDatabase.rows(query, on: connection, logger: logger).map { $0.makeRandomAccess() }
    }

    /// Takes the transaction-scoped advisory lock of `connectionId`'s requests: writes that decide
    /// from what they read (one run per key, joining an item's active run, counting job slots)
    /// run one at a time per connection across every process, as SQLite's single writer does.
    func lockRequests(of connectionId: String, on connection: PostgresConnection) async throws {
        let key = "freshet.runs." + connectionId
        try await connection.query("SELECT pg_advisory_xact_lock(hashtext(\(key)))", logger: logger)
    }
}

extension PostgresRandomAccessRow {
    /// A non-null column's value, or a ``StoreError`` naming the column.
    func value<T: PostgresDecodable>(_ column: String, as type: T.Type = T.self) throws -> T {
        do {
            return try self[column].decode(T.self)
        } catch {
            throw StoreError(.corrupt, "The database holds an unreadable \(column) in a stored row")
        }
    }

    func text(_ column: String) throws -> String { try value(column) }
    func optionalText(_ column: String) throws -> String? { try value(column, as: String?.self) }
    func bool(_ column: String) throws -> Bool { try value(column) }
    func date(_ column: String) throws -> Date { try value(column, as: PostgresTimestamp.self).date }
    func optionalDate(_ column: String) throws -> Date? { try value(column, as: PostgresTimestamp?.self)?.date }
}

/// A PostgreSQL row read by column name, for the mappings the SQL stores share (``ConnectionColumns``).
struct PostgresRowReader: StoredRowReader {
    let row: PostgresRandomAccessRow

    func text(_ column: String) throws -> String { try row.text(column) }
    func optionalText(_ column: String) throws -> String? { try row.optionalText(column) }
    func bool(_ column: String) throws -> Bool { try row.bool(column) }
    func optionalInt(_ column: String) throws -> Int? { try row.value(column, as: Int?.self) }
    func date(_ column: String) throws -> Date { try row.date(column) }
}
