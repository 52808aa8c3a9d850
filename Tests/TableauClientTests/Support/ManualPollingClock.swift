import Synchronization
import TableauClient

/// A clock that moves only when a test advances it; sleepers wake when their time comes.
final class ManualPollingClock: PollingClock {
    private struct Sleeper {
        var id: Int
        var deadline: Duration
        var continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var now: Duration = .zero
        var nextId = 0
        var sleepers: [Sleeper] = []
        var sleepWatchers: [(count: Int, continuation: CheckedContinuation<Void, Never>)] = []
    }

    private let state = Mutex(State())

    func now() -> Duration { state.withLock { $0.now } }

    func sleep(for duration: Duration) async throws {
        let id = state.withLock { state -> Int in
            state.nextId += 1
            return state.nextId
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let watchers = state.withLock { state -> [CheckedContinuation<Void, Never>] in
                    state.sleepers.append(Sleeper(id: id, deadline: state.now + duration, continuation: continuation))
                    let ready = state.sleepWatchers.filter { state.sleepers.count >= $0.count }.map(\.continuation)
                    state.sleepWatchers.removeAll { state.sleepers.count >= $0.count }
                    return ready
                }
                for watcher in watchers { watcher.resume() }
            }
        } onCancel: {
            let sleeper = state.withLock { state -> Sleeper? in
                guard let index = state.sleepers.firstIndex(where: { $0.id == id }) else { return nil }
                return state.sleepers.remove(at: index)
            }
            sleeper?.continuation.resume(throwing: CancellationError())
        }
    }

    /// Moves time forward and wakes every sleeper whose deadline has come.
    func advance(by duration: Duration) {
        let woken = state.withLock { state -> [Sleeper] in
            state.now += duration
            let due = state.sleepers.filter { $0.deadline <= state.now }
            state.sleepers.removeAll { $0.deadline <= state.now }
            return due
        }
        for sleeper in woken { sleeper.continuation.resume() }
    }

    /// Releases everyone blocked in ``waitForSleepers(_:)`` (when the awaited work has finished
    /// and no sleeper will come).
    func releaseWatchers() {
        let watchers = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            defer { state.sleepWatchers.removeAll() }
            return state.sleepWatchers.map(\.continuation)
        }
        for watcher in watchers { watcher.resume() }
    }

    /// Waits until at least `count` tasks are asleep on this clock.
    func waitForSleepers(_ count: Int = 1) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let ready = state.withLock { state -> Bool in
                if state.sleepers.count >= count { return true }
                state.sleepWatchers.append((count, continuation))
                return false
            }
            if ready { continuation.resume() }
        }
    }
}

/// A clock whose sleeps return at once, recording what was asked (for retry backoff tests).
final class InstantClock: PollingClock {
    private let state = Mutex<(now: Duration, sleeps: [Duration])>((.zero, []))

    func now() -> Duration { state.withLock { $0.now } }

    func sleep(for duration: Duration) async throws {
        try Task.checkCancellation()
        state.withLock {
            $0.now += duration
            $0.sleeps.append(duration)
        }
    }

    var sleeps: [Duration] { state.withLock { $0.sleeps } }
}
