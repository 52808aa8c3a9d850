import Foundation
import Freshet
import Logging
import ServiceLifecycle

/// Keeps Tableau's data quality warnings in step with freshness (``QualityWarningReconciler``)
/// every `interval` (`FRESHET_WARNING_INTERVAL` seconds, default 1) on connections that opted in.
public struct QualityWarningService: Service {
    let reconciler: QualityWarningReconciler
    let interval: Duration
    let logger: Logger

    public init(reconciler: QualityWarningReconciler, interval: Duration, logger: Logger) {
        self.reconciler = reconciler
        self.interval = interval
        self.logger = logger
    }

    /// The service of `api`'s runtime, configured from `environment`.
    public init(api: FreshetAPI, environment: [String: String] = ProcessInfo.processInfo.environment, logger: Logger) {
        let seconds = environment["FRESHET_WARNING_INTERVAL"].flatMap(Double.init).map { min(max($0, 0.1), 3600) } ?? 1
        self.init(reconciler: api.runtime.qualityWarnings(metrics: api.metrics, logger: logger), interval: .milliseconds(Int64(seconds * 1000)), logger: logger)
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    let pass = try await reconciler.reconcile()
                    if !pass.added.isEmpty || !pass.removed.isEmpty {
                        logger.info("data quality warnings", metadata: ["added": "\(pass.added.count)", "removed": "\(pass.removed.count)"])
                    }
                } catch {
                    logger.error("could not reconcile data quality warnings", metadata: ["error": "\(error)"])
                }
                try? await Task.sleep(for: interval)
            }
        }
    }
}

extension FreshetRuntime {
    /// The data quality warning reconciler of this runtime's database (one Tableau client per connection).
    public func qualityWarnings(metrics: any MetricsRecorder = NoMetrics(), logger: Logger = Logger(label: "freshet.warnings")) -> QualityWarningReconciler {
        let pool = RefreshClientPool(runtime: self, metrics: metrics)
        return QualityWarningReconciler(
            store: store, connections: store, gateways: { connection in try await pool.warningGateway(for: connection) }, logger: logger)
    }
}
