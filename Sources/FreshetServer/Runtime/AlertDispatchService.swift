import Foundation
package import Freshet
package import Logging
import ServiceLifecycle
package import TableauClient

/// Sends alert POSTs over the shared HTTP client (10 s timeout, no automatic retries: the
/// outbox retries).
package struct HTTPAlertTransport: AlertTransport {
    let base: any TableauTransport

    package init(base: any TableauTransport = AsyncHTTPClientTransport()) {
        self.base = base
    }

    package func post(url: String, body: [UInt8], headers: [(String, String)]) async throws -> Int {
        try await base.send(TransportRequest(method: "POST", url: url, headers: headers, body: body), timeout: .seconds(10)).status
    }
}

/// Delivers the alert outbox (``AlertDispatcher``) until shutdown: at once when `changes` (the
/// engine) sees a change — a run ending enqueues its alert in the same transaction, a stale
/// transition wakes it — else every `interval` (retries fall due; alerts enqueued by other
/// processes). The server's public URL (`--public-url`, `FRESHET_PUBLIC_URL`) is the base of
/// run links; `FRESHET_ALERT_MAX_ATTEMPTS` (default 10) the attempts before a delivery is
/// dead-lettered.
package struct AlertDispatchService: Service {
    let dispatcher: AlertDispatcher
    let following: ChangeFollowing
    let logger: Logger

    /// `changes` nil: polls every `interval` only.
    package init(dispatcher: AlertDispatcher, interval: Duration = .milliseconds(250), changes: RefreshEngine? = nil, logger: Logger) {
        self.dispatcher = dispatcher
        following = ChangeFollowing(engine: changes, interval: interval, minimumGap: .milliseconds(20))
        self.logger = logger
    }

    /// The dispatcher of `api`'s runtime, configured from `environment`.
    package init(api: FreshetAPI, environment: [String: String] = ProcessInfo.processInfo.environment, followChanges: Bool = true, logger: Logger) {
        let runtime = api.runtime
        let attempts = environment["FRESHET_ALERT_MAX_ATTEMPTS"].flatMap(Int.init).map { min(max($0, 1), 100) } ?? 10
        let publicURL = api.publicURL ?? environment["FRESHET_PUBLIC_URL"].flatMap { $0.isEmpty ? nil : $0 }
        self.init(
            dispatcher: AlertDispatcher(
                store: runtime.store, connections: runtime.store, keyring: runtime.keyring, transport: HTTPAlertTransport(), publicURL: publicURL,
                maxAttempts: attempts, logger: logger),
            changes: followChanges ? api.engine : nil, logger: logger)
    }

    package func run() async throws {
        await cancelWhenGracefulShutdown { [dispatcher, following, logger] in
            await following.run {
                do {
                    // Keep going while a full batch was due.
                    while try await dispatcher.deliverDue() == 50 {}
                } catch {
                    logger.error("could not deliver alerts", metadata: ["error": "\(error)"])
                }
            }
        }
    }
}
