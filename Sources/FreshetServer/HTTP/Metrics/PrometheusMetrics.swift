import Foundation
package import Freshet
package import Prometheus
import Synchronization

/// Freshet's metrics in one Prometheus registry (one per server, so tests never share one):
/// API requests by route and status, and what the engine reports through swift-metrics
/// (``engine``: Tableau calls and errors, sign-ins, runs by outcome, refresh durations, the run
/// queue depth, token expiry, freshness transitions). Rendered by `GET /metrics`.
package final class PrometheusMetrics: Sendable {
    package let registry: PrometheusCollectorRegistry
    /// The engine's metrics, written into ``registry``.
    package let engine: EngineMetrics

    /// Outcomes a run can end with; their counters exist (at 0) from the start.
    package static let runOutcomes = ["succeeded", "failed", "cancelled", "timedOut"]

    package init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        let factory = FreshetMetricsFactory(registry: registry)
        engine = EngineMetrics(factory: factory)
        // The families scrapers expect from the start, at 0.
        engine.queueDepth(0)
        _ = factory.makeRecorder(label: EngineMetrics.Name.refreshDuration, dimensions: [], aggregate: true)
        for outcome in Self.runOutcomes { _ = factory.makeCounter(label: EngineMetrics.Name.runs, dimensions: [("outcome", outcome)]) }
        for outcome in ["success", "failure"] { _ = factory.makeCounter(label: EngineMetrics.Name.tableauSignIns, dimensions: [("outcome", outcome)]) }
        for to in ["stale", "fresh"] { _ = factory.makeCounter(label: EngineMetrics.Name.freshnessTransitions, dimensions: [("to", to)]) }
    }

    /// Counts one API request.
    package func apiRequest(method: String, route: String, status: Int) {
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

    /// The registry in Prometheus' text format.
    package func render() -> String {
        registry.emitToString()
    }

    /// `freshet_<metric>_<unit>` with its help text.
    private static func name(_ metric: String, _ unit: String, _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(namespace: "freshet", metricName: metric, unitName: unit, helpText: help)
    }
}
