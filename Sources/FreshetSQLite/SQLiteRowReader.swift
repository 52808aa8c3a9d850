import Foundation
import Freshet
import GRDB

/// A GRDB row read by column name, for the mappings the SQL stores share (``ConnectionColumns``).
struct SQLiteRowReader: StoredRowReader {
    let row: Row

    func text(_ column: String) throws -> String { try SQLiteStore.text(row, column) }
    func optionalText(_ column: String) throws -> String? { row[column] }
    func bool(_ column: String) throws -> Bool { row[column] ?? false }
    func optionalInt(_ column: String) throws -> Int? { row[column] }
    func date(_ column: String) throws -> Date { try SQLiteStore.date(row, column) }
}

extension ConnectionColumns {
    /// The connection and sealed secret of a `SELECT *` row.
    static func stored(_ row: Row) throws -> StoredConnection {
        try stored(SQLiteRowReader(row: row))
    }

    /// The columns from `name` to `api_version_pin`, then `secret_ref`, `keep_alive_days` and `expiry_warning_days`.
    var values: [(any DatabaseValueConvertible)?] {
        [
            name, serverHost, usesHTTP, siteContentUrl, authKind, patName, clientId, secretId, username, scopes, apiVersionPin, secretRef,
            keepAliveDays, expiryWarningDays,
        ]
    }

    /// ``createdAt`` and ``updatedAt`` as SQLite stores them (``SQLiteTimestamp``).
    var createdAtText: String { SQLiteTimestamp.text(createdAt) }
    var updatedAtText: String { SQLiteTimestamp.text(updatedAt) }
}
