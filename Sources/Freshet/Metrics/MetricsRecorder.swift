import Foundation

/// Where the engine reports what `/metrics` shows. The server passes its Prometheus recorder;
/// tests and the CLI use ``NoMetrics``. Labels are short, bounded sets (outcomes, status codes),
/// never names of content or anything secret.
public protocol MetricsRecorder: Sendable {
    /// One HTTP call to Tableau: its HTTP status (0 when no answer came) and, on an error,
    /// Tableau's error code (or "unreachable", "timeout").
    func tableauCall(status: Int, errorCode: String?)
    /// One sign-in to Tableau: "success" or "failure".
    func tableauSignIn(outcome: String)
    /// A refresh run ended: its outcome ("succeeded", "failed", "cancelled", "timedOut") and how
    /// long it took from acceptance to end.
    func runFinished(outcome: String, duration: TimeInterval)
    /// How many runs are accepted but not yet ended.
    func queueDepth(_ depth: Int)
    /// Seconds until the credential of the connection named `connection` expires, as Tableau
    /// estimated at sign-in (nil when it reported no expiry).
    func tokenExpiry(connection: String, secondsLeft: Double?)
    /// An item became stale (`stale`) or fresh again (see ``FreshnessMonitor``).
    func freshnessTransition(stale: Bool)
}

extension MetricsRecorder {
    /// Recorders that do not track token lifetimes ignore them.
    public func tokenExpiry(connection: String, secondsLeft: Double?) {}
    /// Records nothing (recorders written before freshness existed).
    public func freshnessTransition(stale: Bool) {}
}

/// A recorder that records nothing.
public struct NoMetrics: MetricsRecorder {
    public init() {}
    public func tableauCall(status: Int, errorCode: String?) {}
    public func tableauSignIn(outcome: String) {}
    public func runFinished(outcome: String, duration: TimeInterval) {}
    public func queueDepth(_ depth: Int) {}
}
