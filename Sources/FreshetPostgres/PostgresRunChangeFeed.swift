import Freshet
import PostgresNIO

/// Run changes from every process on the database: each stored transition sends a NOTIFY on
/// ``PostgresDatabase/runChannel`` (in the transition's own statement, delivered at commit), and
/// ``follow(_:)`` LISTENs on one pooled connection.
package struct PostgresRunChangeFeed: RunChangeFeed {
    let database: PostgresDatabase

    /// The feed of `database`.
    package init(database: PostgresDatabase) {
        self.database = database
    }

    /// Calls `changed` for each notification until cancelled; throws when the connection fails.
    package func follow(_ changed: @escaping @Sendable () async -> Void) async throws {
        try await database.client.withConnection { connection in
            try await connection.listen(on: database.runChannel) { notifications in
                for try await _ in notifications { await changed() }
            }
        }
    }
}

extension PostgresDatabase {
    /// The NOTIFY channel of run changes (one per schema, so that test schemas stay apart).
    package var runChannel: String { "freshet_runs" + (schema.map { "_" + $0 } ?? "") }
}
