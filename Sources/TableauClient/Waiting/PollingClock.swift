/// The clock the client waits on (job polling, retry backoff). Tests inject a manual clock so
/// that nothing sleeps.
public protocol PollingClock: Sendable {
    /// Monotonic time since an arbitrary origin.
    func now() -> Duration
    /// Suspends for `duration`; throws when the task is cancelled.
    func sleep(for duration: Duration) async throws
}

/// The real, monotonic clock.
public struct SystemPollingClock: PollingClock {
    private let origin = ContinuousClock.now

    public init() {}

    public func now() -> Duration {
        ContinuousClock.now - origin
    }

    public func sleep(for duration: Duration) async throws {
        try await Task.sleep(for: duration)
    }
}
