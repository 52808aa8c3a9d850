import Foundation
import Freshet
import Prometheus
import Synchronization

/// Freshet's metrics in one Prometheus registry (one per server, so tests never share one):
/// API requests by route and status, Tableau calls and errors, sign-ins, runs by outcome,
/// refresh durations and the run queue depth. Rendered by `GET /metrics`.
public final class PrometheusMetrics: MetricsRecorder, Sendable {
    public let registry: PrometheusCollectorRegistry
    private let queue: Gauge
    private let refreshDurations: ValueHistogram

    /// Outcomes a run can end with; their counters exist (at 0) from the start.
    public static let runOutcomes = ["succeeded", "failed", "cancelled", "timedOut"]

    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        queue = registry.makeGauge(descriptor: Self.name("run_queue", "depth", "Refresh runs accepted and not yet ended."))
        refreshDurations = registry.makeValueHistogram(
            descriptor: Self.name("refresh_duration", "seconds", "Time from a run's acceptance to its end."),
            buckets: [1, 5, 15, 30, 60, 120, 300, 600, 1200, 1800, 3600, 7200])
        for outcome in Self.runOutcomes { _ = runs(outcome) }
        for outcome in ["success", "failure"] { _ = signIns(outcome) }
        for stale in [true, false] { _ = transitions(stale: stale) }
    }

    /// Counts one API request.
    public func apiRequest(method: String, route: String, status: Int) {
        let key = RequestKey(method: method, route: route, status: status)
        if let counter = requestCounters.withLock({ $0[key] }) { return counter.increment() }
        let counter = registry.makeCounter(
            descriptor: Self.name("api_requests", "total", "HTTP API requests by method, route pattern and status."),
            labels: [("method", method), ("route", route), ("status", String(status))])
        requestCounters.withLock { $0[key] = counter }
        counter.increment()
    }

    /// The request counters made so far (the registry's own lookup builds label arrays each time).
    private let requestCounters = Mutex<[RequestKey: Counter]>([:])

    private struct RequestKey: Hashable {
        var method: String
        var route: String
        var status: Int
    }

    public func tableauCall(status: Int, errorCode: String?) {
        registry.makeCounter(descriptor: Self.name("tableau_calls", "total", "HTTP calls to Tableau by status."), labels: [("status", String(status))])
            .increment()
        if let errorCode {
            registry.makeCounter(descriptor: Self.name("tableau_errors", "total", "Tableau errors by Tableau's error code."), labels: [("code", errorCode)])
                .increment()
        }
    }

    public func tableauSignIn(outcome: String) {
        signIns(outcome).increment()
    }

    public func runFinished(outcome: String, duration: TimeInterval) {
        runs(outcome).increment()
        refreshDurations.record(max(0, duration))
    }

    public func queueDepth(_ depth: Int) {
        queue.set(Double(depth))
    }

    /// `freshet_tableau_token_expiry_seconds{connection}`: seconds until the connection's
    /// credential expires, as Tableau estimated at the last sign-in (negative once expired).
    public func tokenExpiry(connection: String, secondsLeft: Double?) {
        guard let secondsLeft else { return }
        registry.makeGauge(
            descriptor: Self.name("tableau_token_expiry", "seconds", "Seconds until each connection's Tableau token expires (Tableau's estimate at the last sign-in)."),
            labels: [("connection", connection)]
        ).set(secondsLeft)
    }

    public func freshnessTransition(stale: Bool) {
        transitions(stale: stale).increment()
    }

    private func transitions(stale: Bool) -> Counter {
        registry.makeCounter(
            descriptor: Self.name("freshness_transitions", "total", "Items that became stale (to=stale) or fresh again (to=fresh)."),
            labels: [("to", stale ? "stale" : "fresh")])
    }

    /// The registry in Prometheus' text format.
    public func render() -> String {
        registry.emitToString()
    }

    private func runs(_ outcome: String) -> Counter {
        registry.makeCounter(descriptor: Self.name("runs", "total", "Refresh runs ended, by outcome."), labels: [("outcome", outcome)])
    }

    private func signIns(_ outcome: String) -> Counter {
        registry.makeCounter(descriptor: Self.name("tableau_signins", "total", "Sign-ins to Tableau, by outcome."), labels: [("outcome", outcome)])
    }

    /// `freshet_<metric>_<unit>` with its help text.
    private static func name(_ metric: String, _ unit: String, _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(namespace: "freshet", metricName: metric, unitName: unit, helpText: help)
    }
}
