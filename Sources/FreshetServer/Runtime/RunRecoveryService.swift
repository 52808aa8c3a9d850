import Freshet
import Logging
import ServiceLifecycle

/// Keeps a server's refresh engine driving every unfinished run: recovers once at start and
/// then every half lease (runs left by a crashed process, or by `freshet refresh` without
/// `--wait`, are taken over and finished). On graceful shutdown it stops the engine: runs stay
/// durable with their leases released, and resume on the next start or in another process.
public struct RunRecoveryService: Service {
    let api: FreshetAPI
    let interval: Duration
    let logger: Logger

    /// Recovers runs on `api`'s engine every `interval` (half the engine's lease).
    public init(api: FreshetAPI, interval: Duration, logger: Logger) {
        self.api = api
        self.interval = interval
        self.logger = logger
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    let taken = try await api.engine.recover()
                    if taken > 0 { logger.info("resumed refresh runs", metadata: ["runs": "\(taken)"]) }
                    await api.updateQueueDepth()
                } catch {
                    logger.error("could not recover refresh runs", metadata: ["error": "\(error)"])
                }
                try? await Task.sleep(for: interval)
            }
        }
        await api.engine.shutdown()
        logger.info("refresh engine stopped; unfinished runs stay in the database")
    }
}
