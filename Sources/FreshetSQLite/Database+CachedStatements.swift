import GRDB

extension Database {
    /// Executes `sql`, compiled once per connection and kept: for the statements the refresh path
    /// runs for every request and every run step. `sql` must not vary with its values (they go in
    /// `arguments`), or the cache would grow with every call.
    func executeCached(sql: String, arguments: StatementArguments = StatementArguments()) throws {
        try cachedStatement(sql: sql).execute(arguments: arguments)
    }
}
