package import Freshet
package import Logging
import ServiceLifecycle

/// Wakes the engine's long-polls when another process changes a run: follows a
/// ``RunChangeFeed`` (PostgreSQL's LISTEN/NOTIFY) and follows it again after a failure (the
/// database restarting), one second later. Without it, a long-poll still sees the change at its
/// next poll (`watchInterval`).
package struct RunChangeService: Service {
    let feed: any RunChangeFeed
    let engine: RefreshEngine
    let logger: Logger

    /// Forwards `feed`'s changes to `engine`.
    package init(feed: any RunChangeFeed, engine: RefreshEngine, logger: Logger) {
        self.feed = feed
        self.engine = engine
        self.logger = logger
    }

    package func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    try await feed.follow { [engine] in await engine.runsChangedElsewhere() }
                } catch {
                    if Task.isCancelled { break }
                    logger.warning("lost the run-change feed; following it again", metadata: ["error": "\(error)"])
                }
                // Changes missed meanwhile are seen by the waits' own polling.
                await engine.runsChangedElsewhere()
                try? await Task.sleep(for: .seconds(1))
            }
        }
    }
}
