/// One stored value as a database cell holds it, independent of the database (SQLite's storage
/// classes): what a copy from one backend to another carries, never interpreted or unsealed.
package enum TableValue: Sendable, Equatable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob([UInt8])
}

/// Every row of one table, cell by cell, in the order it was written (the copy between
/// backends, `freshet migrate --from-sqlite`; decision docs/decisions/store-copy.md).
package struct TableRows: Sendable, Equatable {
    /// The table's name.
    package var name: String
    /// Its columns' names, in the order of each row's cells.
    package var columns: [String]
    /// Its rows, each with one cell per column.
    package var rows: [[TableValue]]

    package init(name: String, columns: [String], rows: [[TableValue]]) {
        self.name = name
        self.columns = columns
        self.rows = rows
    }
}
