import Foundation
import Freshet
import Synchronization

/// A ``RunClock`` that moves only when a test advances it; sleepers wake when their deadline
/// passes (or their task is cancelled).
final class ManualClock: RunClock {
    private let state: Mutex<(now: Date, sleepers: [UUID: (until: Date, continuation: CheckedContinuation<Void, any Error>)])>

    /// Yields each time a sleeper starts waiting, so a test can advance time only after it.
    let sleepers: AsyncStream<Void>
    private let sleeperStarted: AsyncStream<Void>.Continuation

    /// Starts at `start`, by default now rounded down to the second (what stores keep exactly).
    init(start: Date = Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down))) {
        state = Mutex((start, [:]))
        (sleepers, sleeperStarted) = AsyncStream<Void>.makeStream()
    }

    func now() -> Date { state.withLock { $0.now } }

    func sleep(for duration: Duration) async throws {
        let key = UUID()
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let resumeNow = state.withLock { state -> Bool in
                    let until = state.now.addingTimeInterval(Double(duration.components.seconds))
                    if until <= state.now { return true }
                    state.sleepers[key] = (until, continuation)
                    return false
                }
                if resumeNow { continuation.resume() } else { sleeperStarted.yield() }
            }
        } onCancel: {
            state.withLock { $0.sleepers.removeValue(forKey: key) }?.continuation.resume(throwing: CancellationError())
        }
    }

    /// Moves time forward by `days` and wakes every sleeper whose deadline passed.
    func advance(days: Double) {
        let due = state.withLock { state in
            state.now = state.now.addingTimeInterval(days * 86_400)
            let now = state.now
            let due = state.sleepers.filter { $0.value.until <= now }
            for key in due.keys { state.sleepers[key] = nil }
            return due.values.map(\.continuation)
        }
        for continuation in due { continuation.resume() }
    }
}
