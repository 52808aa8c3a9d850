import GRDB
import Synchronization

/// Group commit: writes asked for at the same time share one SQLite transaction.
///
/// Each write runs in a savepoint of its own inside the shared transaction, in the order asked,
/// so it sees the writes before it and a write that throws undoes only its own changes (its
/// caller gets its error; the others go on). Every caller is answered after the one commit: a
/// write that returned is committed, exactly as with a transaction of its own. When the commit
/// itself fails (or SQLite rolled the whole transaction back, as it does on a full disk), every
/// write of the group fails with that error.
///
/// A commit costs SQLite the same whether it holds one write or fifty (the file locks, and one
/// log frame per changed page, shared by every row on that page), so a burst of requests costs
/// a few commits instead of one per write. A write asked for while the writer is idle starts at
/// once: nothing waits to fill a group.
final class GroupCommit: Sendable {
    /// The most writes in one transaction, so that one commit stays short.
    static let largestGroup = 64

    /// One queued write.
    private struct Pending: Sendable {
        /// Runs the body in the group's transaction and gives the function that answers the
        /// caller once the group's commit outcome is known.
        let run: @Sendable (Database) -> @Sendable ((any Error)?) -> Void
        /// Answers the caller of a write that never ran.
        let fail: @Sendable (any Error) -> Void
    }

    private struct Queue: ~Copyable {
        var pending: [Pending] = []
        var draining = false
    }

    private let writer: any DatabaseWriter
    private let queue = Mutex(Queue())

    init(writer: any DatabaseWriter) {
        self.writer = writer
    }

    /// Writes asked for and not yet started (tests).
    var waiting: Int { queue.withLock { $0.pending.count } }

    /// Runs `body` in a transaction shared with the writes asked for at the same time, and
    /// returns its result once that transaction is committed.
    func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            let run: @Sendable (Database) -> @Sendable ((any Error)?) -> Void = { db in
                let result: Result<T, any Error>
                do {
                    var value: T?
                    try db.inSavepoint {
                        value = try body(db)
                        return .commit
                    }
                    result = .success(value!)
                } catch {
                    result = .failure(error)
                }
                return { commitError in
                    if let commitError, case .success = result {
                        continuation.resume(throwing: commitError)
                    } else {
                        continuation.resume(with: result)
                    }
                }
            }
            enqueue(Pending(run: run, fail: { continuation.resume(throwing: $0) }))
        }
    }

    private func enqueue(_ write: Pending) {
        let start = queue.withLock { queue in
            queue.pending.append(write)
            if queue.draining { return false }
            queue.draining = true
            return true
        }
        if start { writer.asyncWriteWithoutTransaction { db in self.drain(db) } }
    }

    /// Commits groups on the writer connection until no write is waiting.
    private func drain(_ db: Database) {
        while let group = nextGroup() {
            var answers: [@Sendable ((any Error)?) -> Void] = []
            answers.reserveCapacity(group.count)
            var commitError: (any Error)?
            do {
                try db.beginTransaction(.immediate)
                // A write after one that made SQLite roll the transaction back must not run: it
                // would commit on its own.
                for write in group where db.isInsideTransaction { answers.append(write.run(db)) }
                if db.isInsideTransaction, answers.count == group.count {
                    try db.commit()
                } else {
                    commitError = GroupCommitError.rolledBack
                }
            } catch {
                commitError = error
            }
            if db.isInsideTransaction { try? db.rollback() }
            for answer in answers { answer(commitError) }
            for write in group.dropFirst(answers.count) { write.fail(commitError ?? GroupCommitError.rolledBack) }
        }
    }

    /// The next writes to commit together, or nil (and the drain ends) when none is waiting.
    private func nextGroup() -> [Pending]? {
        queue.withLock { queue in
            if queue.pending.isEmpty {
                queue.draining = false
                return nil
            }
            let count = min(queue.pending.count, Self.largestGroup)
            let group = Array(queue.pending.prefix(count))
            queue.pending.removeFirst(count)
            return group
        }
    }
}

/// SQLite rolled a group's transaction back on its own (a full disk, an I/O error).
struct GroupCommitError: Error, CustomStringConvertible {
    static let rolledBack = GroupCommitError()
    var description: String { "SQLite rolled the transaction back (an I/O error or a full disk)" }
}
