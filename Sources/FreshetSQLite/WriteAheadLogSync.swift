import Foundation
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

    private let flush: Flush
    /// The number of flushes started so far; the one under way, if any, is the last.
    private var started = 0
    private var flushing = false
    private var waiters: [(flush: Int, continuation: CheckedContinuation<Void, any Error>)] = []

    init(flush: @escaping Flush) {
        self.flush = flush
    }

    /// A group commit for the write-ahead log of the database file at `databasePath`.
    init(databasePath: String) {
        let log = databasePath + "-wal"
        self.init(flush: { try await Self.flushFile(log) })
    }

    /// How many callers wait for a flush (for tests).
    var waiting: Int { waiters.count }

    /// Returns when every commit made before this call is on disk.
    /// - Throws: the flush's error (every caller it covered sees it).
    func sync() async throws {
        // The next flush to start covers this caller: one under way may have begun before
        // the caller's commit.
        let needed = started + 1
        try await withCheckedThrowingContinuation { continuation in
            waiters.append((needed, continuation))
            if !flushing { startFlush() }
        }
    }

    private func startFlush() {
        started += 1
        flushing = true
        let number = started
        let flush = flush
        Task {
            let result: Result<Void, any Error>
            do { result = .success(try await flush()) } catch { result = .failure(error) }
            self.finished(number, result)
        }
    }

    private func finished(_ number: Int, _ result: Result<Void, any Error>) {
        flushing = false
        var later: [(flush: Int, continuation: CheckedContinuation<Void, any Error>)] = []
        for waiter in waiters {
            if waiter.flush <= number { waiter.continuation.resume(with: result) } else { later.append(waiter) }
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
public struct WriteAheadLogSyncError: Error, CustomStringConvertible {
    public let path: String
    public let code: Int32
    public var description: String { "The database log \(path) could not be flushed to disk: \(String(cString: strerror(code)))" }
}
