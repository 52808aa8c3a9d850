import Foundation
import Freshet
import Logging
import PostgresNIO
import Testing

@testable import FreshetPostgres

/// A statement sent on a pooled connection that PostgreSQL (or the network) closed under it.
/// PostgresNIO never answers a query written to a connection whose channel is closed already —
/// the race a PostgreSQL restart makes between the pool handing out a connection and the
/// server ending it. A store call waiting on such a query waited for ever: a worker stuck in it
/// kept its run leased and undriven, and `freshet serve` never stopped on SIGTERM (the engine's
/// shutdown awaits its workers). Every store call now fails soon after its connection closes.
@Suite(.enabled(if: !PostgresTestServer.skipped, "FRESHET_TEST_SKIP_POSTGRES=1 leaves PostgreSQL out"))
struct PostgresClosedConnectionTests {
    @Test(.timeLimit(.minutes(1))) func aStatementOnAConnectionThatClosedFailsInsteadOfWaitingForever() async throws {
        let databases = try await PostgresTestServer.databases(1)
        defer { PostgresTestServer.drop(databases) }
        let database = databases[0]
        let started = ContinuousClock.now
        let error = await #expect(throws: StoreError.self) {
            try await database.connection { connection in
                try await connection.close()
                return try await PostgresDatabase.rows("SELECT 1", on: connection, logger: Logger(label: "test"))
            }
        }
        #expect(error?.code == .unavailable, "\(String(describing: error))")
        #expect(ContinuousClock.now - started < PostgresDatabase.closedConnectionGrace + .seconds(3))
        // The pool replaces the closed connection: the next call succeeds.
        #expect(try await database.rawRows("SELECT 'ok'") == ["ok"])
    }

    @Test(.timeLimit(.minutes(1))) func aTransactionWhoseConnectionClosesFailsSoon() async throws {
        let databases = try await PostgresTestServer.databases(1)
        defer { PostgresTestServer.drop(databases) }
        let database = databases[0]
        let started = ContinuousClock.now
        await #expect(throws: StoreError.self) {
            try await database.transaction { connection in
                try await connection.close()
                return try await PostgresDatabase.rows("SELECT 1", on: connection, logger: Logger(label: "test")).count
            }
        }
        #expect(ContinuousClock.now - started < PostgresDatabase.closedConnectionGrace + .seconds(3))
    }
}
