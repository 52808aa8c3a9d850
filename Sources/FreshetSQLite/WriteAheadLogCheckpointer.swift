import Foundation
import GRDB
import Synchronization

/// Moves the write-ahead log into the database file on a connection of its own, so that no
/// commit waits for a checkpoint. SQLite's automatic checkpoint runs inside the commit that
/// crosses its threshold (4 MB of log): that commit, and every write queued behind it, waits for
/// the pages to be copied and two flushes — a stall of several milliseconds every few hundred
/// requests. Here the writer only counts its commits and, every ``commitsPerCheckpoint``, wakes
/// a task that runs a passive checkpoint (it never blocks the writer or readers) beside it.
final class WriteAheadLogCheckpointer: TransactionObserver, Sendable {
    /// The commits between two checkpoints (each commit adds a few pages to the log).
    static let commitsPerCheckpoint = 200

    private let commits = Mutex(0)
    private let allCommits = Mutex(0)
    private let wake: AsyncStream<Void>.Continuation
    private let task: Task<Void, Never>

    /// Starts the checkpointing task for the database file at `databasePath`; `checkpointed`
    /// is told each passive checkpoint's result (for tests).
    init(databasePath: String, configuration: Configuration, checkpointed: @escaping @Sendable (Result<Int, any Error>) -> Void = { _ in }) {
        let (stream, wake) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        self.wake = wake
        task = Task.detached(priority: .utility) {
            // The checkpointer's own connection, opened on first need.
            var connection: DatabaseQueue?
            for await _ in stream {
                do {
                    if connection == nil { connection = try DatabaseQueue(path: databasePath, configuration: configuration) }
                    let result = try await connection!.writeWithoutTransaction { db in try db.checkpoint(.passive) }
                    checkpointed(.success(result.checkpointedFrameCount))
                } catch {
                    checkpointed(.failure(error))
                }
            }
            try? connection?.close()
        }
    }

    /// Wakes a checkpoint now, whatever the log's size.
    func checkpointSoon() {
        wake.yield()
    }

    /// Stops the task (a checkpoint under way finishes first).
    func stop() {
        wake.finish()
    }

    deinit {
        wake.finish()
    }

    // MARK: TransactionObserver (on the writer's connection)

    func observes(eventsOfKind eventKind: DatabaseEventKind) -> Bool { false }
    func databaseDidChange(with event: DatabaseEvent) {}
    func databaseDidRollback(_ db: Database) {}

    /// Every commit of the writer so far (the group flush skips a flush that nothing needs).
    var totalCommits: Int { allCommits.withLock { $0 } }

    func databaseDidCommit(_ db: Database) {
        allCommits.withLock { $0 += 1 }
        let due = commits.withLock { count in
            count += 1
            guard count >= Self.commitsPerCheckpoint else { return false }
            count = 0
            return true
        }
        if due { wake.yield() }
    }
}
