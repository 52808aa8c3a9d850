import Foundation
import Freshet
package import Logging
import ServiceLifecycle

/// Keeps a server's refresh engine driving every unfinished run: recovers once at start, then
/// again as soon as another process's lease lapses (the sweep sleeps until the nearest lease
/// expiry, at most `interval`), so a dead process's runs are taken over within lease + a moment.
/// On graceful shutdown it stops the engine: steps in progress finish, every lease is released at
/// once (another process takes the runs over without waiting), and Tableau sessions are signed out.
package struct RunRecoveryService: Service {
    let api: FreshetAPI
    let interval: Duration
    let logger: Logger

    /// Recovers runs on `api`'s engine at least every `interval` (half the engine's lease).
    package init(api: FreshetAPI, interval: Duration, logger: Logger) {
        self.api = api
        self.interval = interval
        self.logger = logger
    }

    package func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                var nap = interval
                do {
                    let (taken, next) = try await api.engine.sweep()
                    if taken > 0 { logger.info("resumed refresh runs", metadata: ["runs": "\(taken)"]) }
                    await api.updateQueueDepth()
                    if let next {
                        let wait = max(0.01, next.timeIntervalSinceNow + 0.05)
                        nap = min(nap, .milliseconds(Int64(wait * 1000)))
                    }
                } catch {
                    // Stopping (a failed start included) cancels the sweep under way: not a failure.
                    if error is CancellationError || Task.isCancelled { break }
                    if StoreError.from(error)?.isRefusal == false { api.storage.recordFailure() }
                    logger.error("could not recover refresh runs", metadata: ["error": "\(error)"])
                }
                try? await Task.sleep(for: nap)
            }
        }
        await api.engine.shutdown(signOut: true)
        logger.info("refresh engine stopped; unfinished runs stay in the database, their leases released")
    }
}
