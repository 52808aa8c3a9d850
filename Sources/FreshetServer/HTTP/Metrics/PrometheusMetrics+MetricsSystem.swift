import CoreMetrics
import Prometheus

extension PrometheusMetrics {
    /// Makes swift-metrics (libraries' metrics) report into this registry too. Once per process.
    package func bootstrapMetricsSystem() {
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
    }
}
