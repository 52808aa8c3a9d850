import Foundation
import Freshet
package import Logging
import ServiceLifecycle

/// Evaluates freshness every `interval` (``FreshnessMonitor/evaluate()``), so items that outlive
/// their policy become stale, and items refreshed again fresh, as events (audit, metric).
/// `FRESHET_FRESHNESS_INTERVAL` (seconds, default 15) sets the interval in `serve` and `demo`.
package struct FreshnessMonitorService: Service {
    let api: FreshetAPI
    let interval: Duration
    let logger: Logger

    package init(api: FreshetAPI, interval: Duration = FreshnessMonitorService.interval(), logger: Logger) {
        self.api = api
        self.interval = interval
        self.logger = logger
    }

    /// The interval from `FRESHET_FRESHNESS_INTERVAL` (1…3600 seconds), else 15 s.
    package static func interval(environment: [String: String] = ProcessInfo.processInfo.environment) -> Duration {
        guard let text = environment["FRESHET_FRESHNESS_INTERVAL"], let seconds = Double(text), seconds >= 1, seconds <= 3600 else { return .seconds(15) }
        return .milliseconds(Int64(seconds * 1000))
    }

    package func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    let transitions = try await api.freshnessMonitor.evaluate()
                    // Their alerts were enqueued with them: the outbox sends them now.
                    if !transitions.isEmpty { await api.engine.wakeFollowers() }
                    for transition in transitions {
                        let record = transition.status.record
                        logger.info(
                            transition.becameStale ? "item became stale" : "item is fresh again",
                            metadata: ["connection": "\(record.connectionId)", "item": "\(record.item.name)", "reason": "\(transition.status.staleReason?.rawValue ?? "-")"])
                    }
                } catch {
                    logger.error("could not evaluate freshness", metadata: ["error": "\(error)"])
                }
                try? await Task.sleep(for: interval)
            }
        }
    }
}
