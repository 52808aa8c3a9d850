package import CoreMetrics
package import Foundation

/// What the engine reports to `/metrics`, through swift-metrics: each event makes its handle
/// from ``factory`` — the server passes one that writes into its own Prometheus registry (one per
/// server, so tests never share one), tests a `TestMetrics`, the CLI none (nothing recorded).
/// Labels are short, bounded sets (outcomes, status codes, connection names), never names of
/// content or anything secret. The metric names are ``Name``; the server adds their help texts.
package struct EngineMetrics: Sendable {
    /// The metrics' names, as `/metrics` shows them.
    package enum Name {
        /// Counter by `status`: HTTP calls to Tableau (0 when no answer came).
        package static let tableauCalls = "freshet_tableau_calls_total"
        /// Counter by `code`: Tableau's error codes (or "unreachable", "timeout", "http-NNN").
        package static let tableauErrors = "freshet_tableau_errors_total"
        /// Counter by `outcome` ("success", "failure"): sign-ins to Tableau.
        package static let tableauSignIns = "freshet_tableau_signins_total"
        /// Counter by `outcome` ("succeeded", "failed", "cancelled", "timedOut"): runs ended.
        package static let runs = "freshet_runs_total"
        /// Histogram: seconds from a run's acceptance to its end.
        package static let refreshDuration = "freshet_refresh_duration_seconds"
        /// Gauge: runs accepted and not yet ended.
        package static let runQueue = "freshet_run_queue_depth"
        /// Gauge by `connection`: seconds until its credential expires (Tableau's estimate at the last sign-in).
        package static let tokenExpiry = "freshet_tableau_token_expiry_seconds"
        /// Counter by `to` ("stale", "fresh"): items that became stale or fresh again.
        package static let freshnessTransitions = "freshet_freshness_transitions_total"
    }

    /// Where the handles are made.
    package let factory: any MetricsFactory

    /// Metrics made by `factory`; by default none are recorded.
    package init(factory: any MetricsFactory = NOOPMetricsHandler.instance) {
        self.factory = factory
    }

    /// One HTTP call to Tableau: its HTTP status (0 when no answer came) and, on an error,
    /// Tableau's error code (or "unreachable", "timeout").
    package func tableauCall(status: Int, errorCode: String?) {
        Counter(label: Name.tableauCalls, dimensions: [("status", String(status))], factory: factory).increment()
        if let errorCode { Counter(label: Name.tableauErrors, dimensions: [("code", errorCode)], factory: factory).increment() }
    }

    /// One sign-in to Tableau: "success" or "failure".
    package func tableauSignIn(outcome: String) {
        Counter(label: Name.tableauSignIns, dimensions: [("outcome", outcome)], factory: factory).increment()
    }

    /// A refresh run ended with `outcome`, `duration` after its acceptance.
    package func runFinished(outcome: String, duration: TimeInterval) {
        Counter(label: Name.runs, dimensions: [("outcome", outcome)], factory: factory).increment()
        Recorder(label: Name.refreshDuration, factory: factory).record(max(0, duration))
    }

    /// How many runs are accepted but not yet ended.
    package func queueDepth(_ depth: Int) {
        Gauge(label: Name.runQueue, factory: factory).record(depth)
    }

    /// Seconds until the credential of the connection named `connection` expires, as Tableau
    /// estimated at sign-in (nil when it reported no expiry: nothing is recorded).
    package func tokenExpiry(connection: String, secondsLeft: Double?) {
        guard let secondsLeft else { return }
        Gauge(label: Name.tokenExpiry, dimensions: [("connection", connection)], factory: factory).record(secondsLeft)
    }

    /// An item became stale (`stale`) or fresh again (see ``FreshnessMonitor``).
    package func freshnessTransition(stale: Bool) {
        Counter(label: Name.freshnessTransitions, dimensions: [("to", stale ? "stale" : "fresh")], factory: factory).increment()
    }
}
