import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Group commit for a database written with `synchronous = NORMAL`: a commit is in the
/// operating system's cache at once (it survives the process being killed) and on disk once
/// the write-ahead log is flushed. ``sync()`` returns when every commit made before the call is
/// on disk; concurrent callers share one flush (a caller that arrives while a flush is under way
/// waits for the next one, which covers it).
///
/// Decision 0007 §8: the trigger of a stored request follows its commit; the answer to the
/// request follows its flush.
actor WriteAheadLogSync {
    /// Flushes the log to disk (an `fsync` of the `-wal` file in production).
    typealias Flush = @Sendable () async throws -> Void
    /// The number of commits made so far (never decreasing).
    typealias Commits = @Sendable () -> Int

    private let flush: Flush
    private let commits: Commits
    /// Commits known to be on disk: those made before the last successful flush began.
    private var durable: Int
    /// Commits the flush under way covers, if one is.
    private var flushing: Int?
    private var waiters: [(needed: Int, continuation: CheckedContinuation<Void, any Error>)] = []

    /// A group flush by `flush`, told of commits by `commits`. Without `commits`, every call
    /// counts as a new commit: each caller waits for a flush that begins after its call.
    init(flush: @escaping Flush, commits: Commits? = nil) {
        self.flush = flush
        if let commits {
            self.commits = commits
        } else {
            let counter = Mutex(0)
            self.commits = { counter.withLock { count in count += 1; return count } }
        }
        durable = commits?() ?? 0
    }

    /// A group commit for the write-ahead log of the database file at `databasePath`, whose
    /// writer's commits `commits` counts.
    init(databasePath: String, commits: @escaping Commits) {
        let log = databasePath + "-wal"
        self.init(flush: { try await Self.flushFile(log) }, commits: commits)
    }

    /// How many callers wait for a flush (for tests).
    var waiting: Int { waiters.count }

    /// Returns when every commit made before this call is on disk; at once when no commit was
    /// made since the last flush began (a request that wrote nothing waits for no disk).
    /// - Throws: the flush's error (every caller it covered sees it).
    func sync() async throws {
        let needed = commits()
        guard needed > durable else { return }
        try await withCheckedThrowingContinuation { continuation in
            waiters.append((needed, continuation))
            if flushing == nil { startFlush() }
        }
    }

    private func startFlush() {
        // Every commit made until now is in the log this flush writes out.
        let covers = commits()
        flushing = covers
        let flush = flush
        Task {
            let result: Result<Void, any Error>
            do { result = .success(try await flush()) } catch { result = .failure(error) }
            self.finished(covers, result)
        }
    }

    private func finished(_ covers: Int, _ result: Result<Void, any Error>) {
        flushing = nil
        if case .success = result { durable = max(durable, covers) }
        var later: [(needed: Int, continuation: CheckedContinuation<Void, any Error>)] = []
        for waiter in waiters {
            if waiter.needed <= covers { waiter.continuation.resume(with: result) } else { later.append(waiter) }
        }
        waiters = later
        if !waiters.isEmpty { startFlush() }
    }

    /// `fsync` of the file at `path` on a thread outside Swift's cooperative pool. A missing
    /// file has nothing to flush: the log was checkpointed into the database (which SQLite
    /// flushed) and removed.
    static func flushFile(_ path: String) async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            DispatchQueue.global(qos: .userInitiated).async {
                let descriptor = open(path, O_RDONLY | O_CLOEXEC)
                guard descriptor >= 0 else {
                    let code = errno
                    continuation.resume(with: code == ENOENT ? .success(()) : .failure(WriteAheadLogSyncError(path: path, code: code)))
                    return
                }
                defer { close(descriptor) }
                let code = fsync(descriptor) == 0 ? 0 : errno
                continuation.resume(with: code == 0 ? .success(()) : .failure(WriteAheadLogSyncError(path: path, code: code)))
            }
        }
    }
}

/// The write-ahead log could not be flushed to disk (the disk failed or is full).
package struct WriteAheadLogSyncError: Error, CustomStringConvertible {
    package let path: String
    package let code: Int32
    package var description: String { "The database log \(path) could not be flushed to disk: \(String(cString: strerror(code)))" }
}
