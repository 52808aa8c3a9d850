package import Foundation

/// Time as the run engine sees it: injectable, so tests move it instead of sleeping.
package protocol RunClock: Sendable {
    /// The current time.
    func now() -> Date
    /// Suspends for `duration`; throws when the task is cancelled.
    func sleep(for duration: Duration) async throws
}

/// The system's wall clock and `Task.sleep`.
package struct SystemRunClock: RunClock {
    package init() {}
    package func now() -> Date { Date() }
    package func sleep(for duration: Duration) async throws { try await Task.sleep(for: duration) }
}

extension Duration {
    /// The duration in seconds, as a `Double`.
    var seconds: Double {
        let parts = components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }
}
