package import Freshet
package import GRDB

/// SQLite's failures stand for ``StoreError/Code/unavailable`` (disk full, read-only, locked,
/// closed, I/O error) or ``StoreError/Code/conflict`` (a uniqueness constraint); the message
/// keeps SQLite's words for the log, and HTTP answers never show them.
extension DatabaseError: StoreErrorConvertible {
    package var storeError: StoreError {
        let words = "SQLite error \(resultCode.rawValue)" + (message.map { ": \($0)" } ?? "")
        if extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE || extendedResultCode == .SQLITE_CONSTRAINT_PRIMARYKEY {
            return StoreError(.conflict, "A stored record already has this name or id")
        }
        return StoreError(.unavailable, words)
    }
}
