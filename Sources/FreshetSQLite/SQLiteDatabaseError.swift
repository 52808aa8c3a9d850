/// Why a SQLite database could not be opened or used.
package struct SQLiteDatabaseError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong and what to do, for people.
    package let description: String

    /// Creates an error with its message.
    package init(_ description: String) {
        self.description = description
    }

    /// The database was migrated by a newer Freshet: it names migrations this build does not know.
    static func newerSchema(location: String, unknown: [String], latestKnown: String) -> SQLiteDatabaseError {
        SQLiteDatabaseError(
            "The database \(location) was written by a newer version of Freshet: its schema includes "
                + unknown.sorted().map { "\"\($0)\"" }.joined(separator: ", ")
                + ", but this freshet knows the schema only up to \"\(latestKnown)\". Upgrade freshet to open it; this freshet will not change it."
        )
    }

    /// The database is missing or at an older schema (`state` says which), and it was opened
    /// without migrating (`--no-migrate`).
    static func notMigrated(location: String, state: String, latestKnown: String) -> SQLiteDatabaseError {
        SQLiteDatabaseError(
            "The database \(location) \(state), and this freshet needs \"\(latestKnown)\": run `freshet migrate` "
                + "(--no-migrate leaves the database as it is)."
        )
    }
}
