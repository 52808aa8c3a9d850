import CoreMetrics
import Freshet
import Prometheus

/// Makes swift-metrics handles (the engine's ``EngineMetrics``) in one Prometheus registry, with
/// Freshet's help texts and histogram buckets. Every handle of a Freshet metric is made here: the
/// registry stops the process when one name is registered with two help texts.
struct FreshetMetricsFactory: MetricsFactory {
    let registry: PrometheusCollectorRegistry

    /// The `# HELP` text of each metric the engine reports.
    static let help: [String: String] = [
        EngineMetrics.Name.tableauCalls: "HTTP calls to Tableau by status.",
        EngineMetrics.Name.tableauErrors: "Tableau errors by Tableau's error code.",
        EngineMetrics.Name.tableauSignIns: "Sign-ins to Tableau, by outcome.",
        EngineMetrics.Name.runs: "Refresh runs ended, by outcome.",
        EngineMetrics.Name.refreshDuration: "Time from a run's acceptance to its end.",
        EngineMetrics.Name.runQueue: "Refresh runs accepted and not yet ended.",
        EngineMetrics.Name.tokenExpiry: "Seconds until each connection's Tableau token expires (Tableau's estimate at the last sign-in).",
        EngineMetrics.Name.freshnessTransitions: "Items that became stale (to=stale) or fresh again (to=fresh).",
    ]

    /// Histogram buckets (seconds) by metric; others get ``defaultBuckets``.
    static let buckets: [String: [Double]] = [
        EngineMetrics.Name.refreshDuration: [1, 5, 15, 30, 60, 120, 300, 600, 1200, 1800, 3600, 7200]
    ]
    static let defaultBuckets: [Double] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

    static func descriptor(_ label: String) -> MetricNameDescriptor {
        MetricNameDescriptor(metricName: label, unitName: "", helpText: help[label] ?? "")
    }

    func makeCounter(label: String, dimensions: [(String, String)]) -> any CounterHandler {
        registry.makeCounter(descriptor: Self.descriptor(label), labels: dimensions)
    }

    func makeFloatingPointCounter(label: String, dimensions: [(String, String)]) -> any FloatingPointCounterHandler {
        registry.makeCounter(descriptor: Self.descriptor(label), labels: dimensions)
    }

    func makeMeter(label: String, dimensions: [(String, String)]) -> any MeterHandler {
        registry.makeGauge(descriptor: Self.descriptor(label), labels: dimensions)
    }

    func makeRecorder(label: String, dimensions: [(String, String)], aggregate: Bool) -> any RecorderHandler {
        guard aggregate else { return registry.makeGauge(descriptor: Self.descriptor(label), labels: dimensions) }
        return registry.makeValueHistogram(descriptor: Self.descriptor(label), labels: dimensions, buckets: Self.buckets[label] ?? Self.defaultBuckets)
    }

    func makeTimer(label: String, dimensions: [(String, String)]) -> any TimerHandler {
        let buckets = (Self.buckets[label] ?? Self.defaultBuckets).map { Duration.milliseconds(Int64($0 * 1000)) }
        return registry.makeDurationHistogram(descriptor: Self.descriptor(label), labels: dimensions, buckets: buckets)
    }

    // Handles are looked up again by name and labels on each event; the series stay registered.
    func destroyCounter(_ handler: any CounterHandler) {}
    func destroyFloatingPointCounter(_ handler: any FloatingPointCounterHandler) {}
    func destroyMeter(_ handler: any MeterHandler) {}
    func destroyRecorder(_ handler: any RecorderHandler) {}
    func destroyTimer(_ handler: any TimerHandler) {}
}
