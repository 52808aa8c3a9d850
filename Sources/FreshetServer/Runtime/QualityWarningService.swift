import Foundation
package import Freshet
package import Logging
import ServiceLifecycle

/// Keeps Tableau's data quality warnings in step with freshness (``QualityWarningReconciler``)
/// on connections that opted in: a pass at once when `changes` (the engine) sees a change — a
/// run ending, a pipeline event — at most one pass per `minimumGap` (250 ms: a burst of run
/// changes makes one pass over the opted-in items, not one each), and every
/// `interval` (`FRESHET_WARNING_INTERVAL` seconds, default 1: changes made by other processes
/// without a run-change feed, failed Tableau calls retried).
package struct QualityWarningService: Service {
    let reconciler: QualityWarningReconciler
    let following: ChangeFollowing
    let logger: Logger

    /// `changes` nil: a pass every `interval` only.
    package init(
        reconciler: QualityWarningReconciler, interval: Duration, changes: RefreshEngine? = nil, minimumGap: Duration = .milliseconds(250), logger: Logger
    ) {
        self.reconciler = reconciler
        following = ChangeFollowing(engine: changes, interval: interval, minimumGap: minimumGap)
        self.logger = logger
    }

    /// The service of `api`'s runtime, configured from `environment`; `followChanges` false
    /// leaves it polling (the benchmark's baseline).
    package init(api: FreshetAPI, environment: [String: String] = ProcessInfo.processInfo.environment, followChanges: Bool = true, logger: Logger) {
        let seconds = environment["FRESHET_WARNING_INTERVAL"].flatMap(Double.init).map { min(max($0, 0.1), 3600) } ?? 1
        self.init(
            reconciler: api.runtime.qualityWarnings(metrics: api.metrics.engine, logger: logger), interval: .milliseconds(Int64(seconds * 1000)),
            changes: followChanges ? api.engine : nil, logger: logger)
    }

    package func run() async throws {
        await cancelWhenGracefulShutdown { [reconciler, following, logger] in
            await following.run {
                do {
                    let pass = try await reconciler.reconcile()
                    if !pass.added.isEmpty || !pass.removed.isEmpty {
                        logger.info("data quality warnings", metadata: ["added": "\(pass.added.count)", "removed": "\(pass.removed.count)"])
                    }
                } catch {
                    logger.error("could not reconcile data quality warnings", metadata: ["error": "\(error)"])
                }
            }
        }
    }
}

extension FreshetRuntime {
    /// The data quality warning reconciler of this runtime's database (one Tableau client per connection).
    package func qualityWarnings(metrics: EngineMetrics = EngineMetrics(), logger: Logger = Logger(label: "freshet.warnings")) -> QualityWarningReconciler {
        let pool = RefreshClientPool(runtime: self, metrics: metrics)
        return QualityWarningReconciler(
            store: store, connections: store, gateways: { connection in try await pool.warningGateway(for: connection) }, logger: logger)
    }
}
