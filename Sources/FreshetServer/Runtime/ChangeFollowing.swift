import Freshet

/// The loop of a service that follows changes (the alert outbox, data quality warnings): runs a
/// pass, then waits for the next change the engine sees — a run changing state in this process,
/// one reported by another process (``RunChangeService``), a pipeline event or stale transition
/// (``RefreshEngine/wakeFollowers()``) — or `interval`, whichever comes first, keeping at least
/// `minimumGap` between the starts of two passes (a burst of changes makes one pass, not many).
/// Without an engine it polls every `interval`.
struct ChangeFollowing: Sendable {
    let engine: RefreshEngine?
    let interval: Duration
    let minimumGap: Duration

    /// Runs `pass` until the task is cancelled.
    func run(_ pass: @Sendable () async -> Void) async {
        let clock = ContinuousClock()
        while !Task.isCancelled {
            let started = clock.now
            guard let engine else {
                await pass()
                try? await Task.sleep(for: interval)
                continue
            }
            // Noted before the pass, so that a change made while it runs is not missed.
            let seen = await engine.changeCount
            await pass()
            await engine.nextChange(after: seen, within: interval)
            if clock.now < started.advanced(by: minimumGap) { try? await Task.sleep(until: started.advanced(by: minimumGap), clock: clock) }
        }
    }
}
