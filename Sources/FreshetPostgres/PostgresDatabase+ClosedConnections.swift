import Freshet
import NIOCore
import PostgresNIO
import Synchronization

extension PostgresDatabase {
    /// How long an operation may go unanswered once its connection closed before it fails.
    /// Normally the statement in flight fails at once with PostgreSQL's own error; the grace only
    /// matters for a statement PostgresNIO never answers (see ``failingWhenClosed(_:_:)``).
    package static let closedConnectionGrace: Duration = .seconds(1)

    /// Runs `body` on `connection`, but fails with ``StoreError`` (unavailable) when the connection
    /// closes and `body` has not returned ``closedConnectionGrace`` later.
    ///
    /// PostgresNIO (1.33) never answers a statement written to a connection whose channel has
    /// closed — the race a PostgreSQL restart makes between the pool handing out a connection and
    /// the server ending it — and ignores cancellation while it waits. Without this, a store call
    /// caught in that race waited for ever: a refresh worker stuck in it kept its run leased and
    /// undriven, and the engine's shutdown (which awaits its workers) kept `freshet serve` from
    /// exiting on SIGTERM. `body` runs in a task of its own that is left behind when the
    /// connection closed (it holds nothing but that dead connection); cancelling the caller
    /// cancels it.
    static func failingWhenClosed<T: Sendable>(_ connection: PostgresConnection, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
        let outcome = Outcome<T>()
        let work = Task {
            do { outcome.resume(with: .success(try await body())) } catch { outcome.resume(with: .failure(error)) }
        }
        let (seconds, attoseconds) = closedConnectionGrace.components
        let grace = TimeAmount.nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
        connection.closeFuture.whenComplete { _ in
            connection.eventLoop.scheduleTask(in: grace) {
                outcome.resume(with: .failure(StoreError("PostgreSQL closed the connection and left the statement unanswered")))
            }
        }
        return try await withTaskCancellationHandler {
            try await outcome.value()
        } onCancel: {
            work.cancel()
        }
    }
}

/// The first of several results, handed to one waiter.
private final class Outcome<T: Sendable>: Sendable {
    private struct State {
        var result: Result<T, any Error>?
        var waiter: CheckedContinuation<T, any Error>?
        var done = false
    }
    private let state = Mutex(State())

    /// Records `result` unless one came first; resumes the waiter.
    func resume(with result: Result<T, any Error>) {
        let waiter: CheckedContinuation<T, any Error>? = state.withLock { state in
            guard !state.done else { return nil }
            state.done = true
            guard let waiter = state.waiter else {
                state.result = result
                return nil
            }
            state.waiter = nil
            return waiter
        }
        waiter?.resume(with: result)
    }

    /// The first result, once there is one.
    func value() async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let ready: Result<T, any Error>? = state.withLock { state in
                if let result = state.result {
                    state.result = nil
                    return result
                }
                state.waiter = continuation
                return nil
            }
            if let ready { continuation.resume(with: ready) }
        }
    }
}
