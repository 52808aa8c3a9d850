import Synchronization

/// Appends audit events for many callers at once: events that arrive while a write is under way
/// go together in the next one, so that concurrent runs share one transaction instead of
/// queueing for one each (group commit). Each caller still returns only once its own events are
/// stored, in the order they were appended.
package final class AuditBatcher: Sendable {
    private let audit: any AuditStore
    private let state = Mutex<State>(State())

    private struct State {
        var pending: [AuditEvent] = []
        var waiters: [CheckedContinuation<(any Error)?, Never>] = []
        var writing = false
    }

    /// Appends to `audit`.
    package init(_ audit: any AuditStore) {
        self.audit = audit
    }

    /// Stores `events` (with whatever else is waiting); throws the store's error when the write
    /// that carried them failed. Not cancelled with the caller: an event handed over is written.
    package func append(_ events: [AuditEvent]) async throws {
        guard !events.isEmpty else { return }
        let error = await withCheckedContinuation { (waiter: CheckedContinuation<(any Error)?, Never>) in
            let starts = state.withLock { state in
                state.pending += events
                state.waiters.append(waiter)
                defer { state.writing = true }
                return !state.writing
            }
            if starts { Task { await self.writeAll() } }
        }
        if let error { throw error }
    }

    /// How many events wait for the next write.
    var pendingCount: Int { state.withLock { $0.pending.count } }

    /// Writes what is pending, again and again, until nothing is.
    private func writeAll() async {
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
            }
            for waiter in waiters { waiter.resume(returning: failure) }
        }
    }
}
