import Foundation
import Freshet
import FreshetSQLite
import Testing

/// Separate database handles on one file, as separate processes would have, racing on one run.
@Suite struct RunStoreConcurrencyTests {
    /// Runs `body` once per handle, each with its own ``SQLiteDatabase`` on `path`, concurrently.
    func race<T: Sendable>(_ count: Int, on path: String, _ body: @escaping @Sendable (Int, SQLiteStore) async throws -> T) async throws -> [T] {
        try await withThrowingTaskGroup(of: T.self) { group in
            for index in 0..<count {
                group.addTask {
                    let database = try SQLiteDatabase(path: path)
                    defer { try? database.close() }
                    return try await body(index, SQLiteStore(database: database))
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
    }

    @Test func exactlyOneOfTenHandlesWinsARunsLease() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.databasePath
        let setup = try SQLiteDatabase(path: path)
        _ = try await SQLiteStore(database: setup).create(RunStoreFixtures.run("r1"), joiningActive: false)
        try setup.close()
        let wins = try await race(10, on: path) { index, store in
            try await store.claim(runId: "r1", holder: "process-\(index)", until: Fixtures.later(60_000), now: Fixtures.now)
        }
        #expect(wins.filter { $0 }.count == 1)
    }

    @Test func exactlyOneOfTenHandlesAppliesATransition() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.databasePath
        let setup = try SQLiteDatabase(path: path)
        let run = try await SQLiteStore(database: setup).create(RunStoreFixtures.run("r1"), joiningActive: false).run
        try setup.close()
        let applied = try await race(10, on: path) { _, store in
            var machine = RunStateMachine(run: run)
            _ = try machine.handle(.start)
            return try await store.transition(machine.run, expectedVersion: run.version, now: Fixtures.later(1)) != nil
        }
        #expect(applied.filter { $0 }.count == 1)
    }

    @Test func tenHandlesCreatingWithOneKeyGetOneRun() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.databasePath
        try SQLiteDatabase(path: path).close()
        let creations = try await race(10, on: path) { index, store in
            try await store.create(RunStoreFixtures.run("r\(index)", key: "pipeline-42"), joiningActive: false)
        }
        #expect(creations.filter { $0.disposition == .created }.count == 1)
        #expect(Set(creations.map(\.run.id)).count == 1)
    }
}
