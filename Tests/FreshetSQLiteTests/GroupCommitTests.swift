import Dispatch
import Foundation
import GRDB
import Synchronization
import Testing

@testable import FreshetSQLite

/// Group commit: writes asked for while the writer is busy share one transaction, each in a
/// savepoint of its own, and every caller hears the shared commit's outcome.
@Suite struct GroupCommitTests {
    /// Counts the commits of the connection it observes.
    final class CommitCounter: TransactionObserver, Sendable {
        let commits = Mutex(0)
        func observes(eventsOfKind eventKind: DatabaseEventKind) -> Bool { false }
        func databaseDidChange(with event: DatabaseEvent) {}
        func databaseDidCommit(_ db: Database) { commits.withLock { $0 += 1 } }
        func databaseDidRollback(_ db: Database) {}
    }

    /// A pool on a file of its own with tables `t(id INTEGER PRIMARY KEY, note TEXT)` and `child`
    /// (a deferred foreign key to `t`), its group writer, and its writer connection held busy
    /// until `release` is signalled, so that the writes a test asks for queue up.
    private struct HeldWriter {
        let pool: DatabasePool
        let group: GroupCommit
        let counter = CommitCounter()
        let release = DispatchSemaphore(value: 0)
        var commitsBefore = 0
        /// Commits since the writer was held.
        var newCommits: Int { counter.commits.withLock { $0 } - commitsBefore }
    }

    private func heldWriter(_ directory: TemporaryDirectory) async throws -> HeldWriter {
        try FileManager.default.createDirectory(atPath: directory.url.appendingPathComponent("data").path, withIntermediateDirectories: true)
        let pool = try DatabasePool(path: directory.databasePath)
        try await pool.write { db in
            try db.execute(sql: "CREATE TABLE t (id INTEGER PRIMARY KEY, note TEXT)")
            try db.execute(sql: "CREATE TABLE child (parent INTEGER REFERENCES t(id) DEFERRABLE INITIALLY DEFERRED)")
        }
        var held = HeldWriter(pool: pool, group: GroupCommit(writer: pool))
        pool.add(transactionObserver: held.counter, extent: .databaseLifetime)
        await holdWriter(pool, until: held.release)
        held.commitsBefore = held.counter.commits.withLock { $0 }
        return held
    }

    /// Holds the writer connection until `release` is signalled; `held` says when it holds it.
    private func holdWriter(_ pool: DatabasePool, until release: DispatchSemaphore) async {
        await withCheckedContinuation { (held: CheckedContinuation<Void, Never>) in
            pool.asyncWriteWithoutTransaction { _ in
                held.resume()
                release.wait()
            }
        }
    }

    /// Waits (yielding, never sleeping) until `count` writes are queued.
    private func waitUntilQueued(_ group: GroupCommit, _ count: Int) async {
        while group.waiting < count { await Task.yield() }
    }

    @Test func writesQueuedTogetherShareOneCommitAndAllLand() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let held = try await heldWriter(directory)
        let (pool, group, release) = (held.pool, held.group, held.release)
        let ids = try await withThrowingTaskGroup(of: Int64.self) { tasks in
            for index in 1...20 {
                tasks.addTask {
                    try await group.write { db in
                        try db.execute(sql: "INSERT INTO t (id, note) VALUES (?, ?)", arguments: [index, "write \(index)"])
                        return db.lastInsertedRowID
                    }
                }
            }
            await waitUntilQueued(group, 20)
            release.signal()
            return try await tasks.reduce(into: []) { $0.append($1) }
        }
        #expect(ids.sorted() == Array(1...20))
        #expect(held.newCommits == 1)
        let stored = try await pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM t") }
        #expect(stored == 20)
    }

    @Test func aWriteThatThrowsUndoesOnlyItsOwnChanges() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let held = try await heldWriter(directory)
        let (pool, group, release) = (held.pool, held.group, held.release)
        struct Refused: Error {}
        // Queued in this order: the second one writes, then throws; the third repeats a key.
        let first = Task { try await group.write { db in try db.execute(sql: "INSERT INTO t VALUES (1, 'kept')") } }
        await waitUntilQueued(group, 1)
        let second = Task {
            try await group.write { db in
                try db.execute(sql: "INSERT INTO t VALUES (2, 'undone')")
                throw Refused()
            }
        }
        await waitUntilQueued(group, 2)
        let third = Task { try await group.write { db in try db.execute(sql: "INSERT INTO t VALUES (1, 'duplicate')") } }
        await waitUntilQueued(group, 3)
        let fourth = Task {
            try await group.write { db in
                try db.execute(sql: "INSERT INTO t VALUES (4, 'kept too')")
                return try Int.fetchOne(db, sql: "SELECT count(*) FROM t")
            }
        }
        await waitUntilQueued(group, 4)
        release.signal()
        try await first.value
        await #expect(throws: Refused.self) { try await second.value }
        await #expect(throws: DatabaseError.self) { try await third.value }
        // The fourth sees the first's row, and none of the second's or third's.
        #expect(try await fourth.value == 2)
        #expect(held.newCommits == 1)
        let notes = try await pool.read { db in try String.fetchAll(db, sql: "SELECT note FROM t ORDER BY id") }
        #expect(notes == ["kept", "kept too"])
    }

    @Test func whenTheCommitFailsEveryWriteOfTheGroupFails() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let held = try await heldWriter(directory)
        let (pool, group, release) = (held.pool, held.group, held.release)
        // child's foreign key is deferred, checked at commit: the group's commit fails.
        let good = Task { try await group.write { db in try db.execute(sql: "INSERT INTO t VALUES (1, 'would land alone')") } }
        await waitUntilQueued(group, 1)
        let bad = Task { try await group.write { db in try db.execute(sql: "INSERT INTO child VALUES (99)") } }
        await waitUntilQueued(group, 2)
        release.signal()
        await #expect(throws: DatabaseError.self) { try await good.value }
        await #expect(throws: DatabaseError.self) { try await bad.value }
        let count = try await pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM t") }
        #expect(count == 0)
        // The writer goes on: the next write commits on its own.
        try await group.write { db in try db.execute(sql: "INSERT INTO t VALUES (2, 'later')") }
        #expect(try await pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM t") } == 1)
    }
}
