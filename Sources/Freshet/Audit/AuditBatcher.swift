import Synchronization

/// Appends audit events for many callers at once: events that arrive while a write is under way
/// go together in the next one, so that concurrent runs share one transaction instead of
/// queueing for one each (group commit). Each caller still returns only once its own events are
/// stored, in the order they were appended.
///
/// A write that fails (the database away) does not lose its events: they stay first in line and
/// are written again — with the next caller's events, or after a pause that doubles from half a
/// second to 30 s when nobody appends — until the store takes them. Their callers are told of the
/// failure at once and do not wait for the store to come back. When the store failed after
/// committing (its answer lost), an event can be written twice. At most ``capacity`` events wait;
/// beyond, the oldest are dropped and counted (``droppedCount``).
package final class AuditBatcher: Sendable {
    /// The most events kept waiting for a store that is away.
    package static let capacity = 100_000

    private let audit: any AuditStore
    private let pause: @Sendable (Duration) async -> Void
    private let state = Mutex<State>(State())

    private struct State {
        var pending: [AuditEvent] = []
        var waiters: [CheckedContinuation<(any Error)?, Never>] = []
        var writing = false
        /// The writer pauses after a failure until this is resumed (by an append or the pause's end).
        var wake: CheckedContinuation<Void, Never>?
        /// Pauses so far (identifies the current one).
        var pauses = 0
        var dropped = 0

        /// Drops the oldest events beyond ``AuditBatcher/capacity``, counting them.
        mutating func trim() {
            guard pending.count > AuditBatcher.capacity else { return }
            let excess = pending.count - AuditBatcher.capacity
            pending.removeFirst(excess)
            dropped += excess
        }
    }

    /// Appends to `audit`; `pause` waits between attempts when the store is away (tests pass
    /// their own).
    package init(_ audit: any AuditStore, pause: @escaping @Sendable (Duration) async -> Void = { try? await Task.sleep(for: $0) }) {
        self.audit = audit
        self.pause = pause
    }

    /// Stores `events` (with whatever else is waiting); throws the store's error when the write
    /// that carried them failed (they are written again later). Not cancelled with the caller:
    /// an event handed over is written.
    package func append(_ events: [AuditEvent]) async throws {
        guard !events.isEmpty else { return }
        let error = await withCheckedContinuation { (waiter: CheckedContinuation<(any Error)?, Never>) in
            let (starts, wake) = state.withLock { state in
                state.pending += events
                state.trim()
                state.waiters.append(waiter)
                defer {
                    state.writing = true
                    state.wake = nil
                }
                return (!state.writing, state.wake)
            }
            // A writer pausing after a failure tries again now, with these events too.
            wake?.resume()
            if starts { Task { await self.writeAll() } }
        }
        if let error { throw error }
    }

    /// How many events wait for the next write.
    var pendingCount: Int { state.withLock { $0.pending.count } }

    /// Events dropped because more than ``capacity`` waited for a store that was away.
    package var droppedCount: Int { state.withLock { $0.dropped } }

    /// Writes what is pending, again and again, until nothing is.
    private func writeAll() async {
        var failures = 0
        while true {
            let (events, waiters) = state.withLock { state in
                // Nothing left: the next append starts a new writer.
                guard !state.pending.isEmpty else {
                    state.writing = false
                    return ([AuditEvent](), [CheckedContinuation<(any Error)?, Never>]())
                }
                defer {
                    state.pending = []
                    state.waiters = []
                }
                return (state.pending, state.waiters)
            }
            guard !events.isEmpty else { return }
            var failure: (any Error)?
            do {
                if events.count == 1 { try await audit.append(events[0]) } else { try await audit.append(contentsOf: events) }
            } catch {
                failure = error
                // First in line again, before whatever arrived meanwhile.
                state.withLock { state in
                    state.pending = events + state.pending
                    state.trim()
                }
            }
            for waiter in waiters { waiter.resume(returning: failure) }
            guard failure != nil else {
                failures = 0
                continue
            }
            failures += 1
            await pauseAfterFailure(.milliseconds(min(30_000, 500 << min(failures - 1, 6))))
        }
    }

    /// Waits `delay`, or less when an append arrives first.
    private func pauseAfterFailure(_ delay: Duration) async {
        await withCheckedContinuation { (wake: CheckedContinuation<Void, Never>) in
            let token: Int? = state.withLock { state in
                // Events appended since the failed write was taken: try again at once.
                if !state.waiters.isEmpty { return nil }
                state.pauses += 1
                state.wake = wake
                return state.pauses
            }
            guard let token else {
                wake.resume()
                return
            }
            Task {
                await self.pause(delay)
                // Only this pause's wake (an append may have ended it, and a later one begun).
                let timer = state.withLock { state -> CheckedContinuation<Void, Never>? in
                    guard state.pauses == token, let wake = state.wake else { return nil }
                    state.wake = nil
                    return wake
                }
                timer?.resume()
            }
        }
    }
}
