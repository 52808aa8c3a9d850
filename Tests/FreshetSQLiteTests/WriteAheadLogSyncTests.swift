import Foundation
import GRDB
import Synchronization
import Testing

@testable import FreshetSQLite

/// Group commit: concurrent callers share a flush, and no caller is covered by a flush that
/// began before it called.
@Suite struct WriteAheadLogSyncTests {
    /// A flush that blocks until the test releases it, counting how often it ran.
    actor BlockingFlush {
        private(set) var started = 0
        private var release: [CheckedContinuation<Void, any Error>] = []
        private var startWaiters: [(count: Int, continuation: CheckedContinuation<Void, Never>)] = []
        var failure: (any Error)?

        func run() async throws {
            started += 1
            for waiter in startWaiters where waiter.count <= started { waiter.continuation.resume() }
            startWaiters.removeAll { $0.count <= started }
            try await withCheckedThrowingContinuation { release.append($0) }
        }

        /// Returns once `count` flushes have started.
        func untilStarted(_ count: Int) async {
            if started >= count { return }
            await withCheckedContinuation { startWaiters.append((count, $0)) }
        }

        func releaseOne() {
            guard !release.isEmpty else { return }
            let next = release.removeFirst()
            if let failure { next.resume(throwing: failure) } else { next.resume() }
        }

        func fail(with error: any Error) { failure = error }
    }

    struct DiskFull: Error {}

    /// Waits until `sync` has `count` callers waiting.
    static func untilWaiting(_ sync: WriteAheadLogSync, _ count: Int) async {
        while await sync.waiting < count { await Task.yield() }
    }

    @Test func callersArrivingDuringAFlushShareTheNextOne() async throws {
        let flush = BlockingFlush()
        let sync = WriteAheadLogSync(flush: { try await flush.run() })
        let first = Task { try await sync.sync() }
        await flush.untilStarted(1)
        // Twenty callers arrive while the first flush is under way: it may predate their commits.
        let later = (0..<20).map { _ in Task { try await sync.sync() } }
        await Self.untilWaiting(sync, 21)
        await flush.releaseOne()
        try await first.value
        await flush.untilStarted(2)
        #expect(await sync.waiting == 20, "the first flush must not answer callers that arrived during it")
        await flush.releaseOne()
        for task in later { try await task.value }
        #expect(await flush.started == 2)
        #expect(await sync.waiting == 0)
    }

    @Test func aFailedFlushFailsEveryCallerItCovered() async throws {
        let flush = BlockingFlush()
        await flush.fail(with: DiskFull())
        let sync = WriteAheadLogSync(flush: { try await flush.run() })
        let callers = (0..<3).map { _ in Task { try await sync.sync() } }
        await flush.untilStarted(1)
        await Self.untilWaiting(sync, 3)
        await flush.releaseOne()
        await flush.untilStarted(2)
        await flush.releaseOne()
        for caller in callers { await #expect(throws: DiskFull.self) { try await caller.value } }
    }

    @Test func aCallerWithNoCommitSinceTheLastFlushWaitsForNone() async throws {
        let flush = BlockingFlush()
        let commits = Mutex(5)
        let sync = WriteAheadLogSync(flush: { try await flush.run() }, commits: { commits.withLock { $0 } })
        // Nothing committed since the log was opened: no flush.
        try await sync.sync()
        #expect(await flush.started == 0)
        commits.withLock { $0 += 1 }
        let writer = Task { try await sync.sync() }
        await flush.untilStarted(1)
        // A caller whose commits the flush under way covers shares it.
        let reader = Task { try await sync.sync() }
        await Self.untilWaiting(sync, 2)
        await flush.releaseOne()
        try await writer.value
        try await reader.value
        // Answered after that flush with nothing new committed (a repeated request): at once.
        try await sync.sync()
        #expect(await flush.started == 1)
        // A commit made during a flush needs the next one.
        commits.withLock { $0 += 1 }
        let next = Task { try await sync.sync() }
        await flush.untilStarted(2)
        await flush.releaseOne()
        try await next.value
        #expect(await flush.started == 2)
        #expect(await sync.waiting == 0)
    }

    @Test func aFileDatabaseCommitsWithoutWaitingForTheDiskAndFlushesOnRequest() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let database = try SQLiteDatabase(path: directory.databasePath)
        let synchronous = try await database.writer.read { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") }
        #expect(synchronous == 1, "NORMAL: commits reach the OS at once, the disk at a flush")
        try await database.writer.write { db in try db.execute(sql: "CREATE TABLE probe (x)") }
        #expect(FileManager.default.fileExists(atPath: directory.databasePath + "-wal"))
        try await database.waitUntilDurable()
        try database.close()
        // A log that is gone (checkpointed into the database on close) has nothing to flush.
        try await WriteAheadLogSync.flushFile(directory.databasePath + "-wal")
        await #expect(throws: WriteAheadLogSyncError.self) { try await WriteAheadLogSync.flushFile("/proc/self/status") }
    }
}

/// Checkpoints run beside the writer, woken by its commits, never inside one.
@Suite struct WriteAheadLogCheckpointerTests {
    @Test(.timeLimit(.minutes(1))) func everyFewHundredCommitsWakeACheckpointOnItsOwnConnection() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.databasePath
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        var configuration = Configuration()
        configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA wal_autocheckpoint = 0") }
        let pool = try DatabasePool(path: path, configuration: configuration)
        let (results, report) = AsyncStream.makeStream(of: Result<Int, any Error>.self)
        let checkpointer = WriteAheadLogCheckpointer(databasePath: path, configuration: configuration, checkpointed: { report.yield($0) })
        pool.add(transactionObserver: checkpointer, extent: .databaseLifetime)
        try await pool.write { db in try db.execute(sql: "CREATE TABLE t (x)") }
        for value in 1..<WriteAheadLogCheckpointer.commitsPerCheckpoint {
            try await pool.write { db in try db.execute(sql: "INSERT INTO t VALUES (?)", arguments: [value]) }
        }
        var iterator = results.makeAsyncIterator()
        let result = await iterator.next()
        let frames = try #require(try result?.get())
        #expect(frames >= WriteAheadLogCheckpointer.commitsPerCheckpoint, "the log of 200 commits was moved into the database file")
        // Nothing was checkpointed by the writer itself (no automatic checkpoint inside a commit).
        let count = try await pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM t") }
        #expect(count == WriteAheadLogCheckpointer.commitsPerCheckpoint - 1)
        checkpointer.stop()
        try pool.close()
    }
}
