import Foundation
package import Freshet
package import Logging
package import ServiceLifecycle
import TableauClient

/// Keeps Tableau webhooks registered for every connection while `freshet serve` knows its
/// public address: data source and workbook refreshes that succeeded or failed, posting to
/// `<public URL>/hooks/tableau/<connection id>/<secret>`. At start and every `interval` it lists
/// each site's webhooks, deletes Freshet's own that point elsewhere (an old address or secret),
/// are disabled or repeat, and creates the missing ones; the engine learns which connections
/// have them (their jobs are then polled only as a fallback). An account that may not manage
/// webhooks (site administrators only) keeps plain polling.
package struct WebhookRegistrar: Service {
    let api: FreshetAPI
    let publicURL: String
    let interval: Duration
    let logger: Logger

    /// A registrar for `api`'s connections, reachable by Tableau at `publicURL`.
    package init(api: FreshetAPI, publicURL: String, interval: Duration = .seconds(600), logger: Logger) {
        self.api = api
        self.publicURL = publicURL.hasSuffix("/") ? String(publicURL.dropLast()) : publicURL
        self.interval = interval
        self.logger = logger
    }

    package func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await reconcileAll()
                try? await Task.sleep(for: interval)
            }
        }
    }

    /// Registers the webhooks of every stored connection; returns the connections that have them.
    @discardableResult
    package func reconcileAll() async -> [String] {
        var registered: [String] = []
        for stored in (try? await api.runtime.store.connections()) ?? [] where await reconcile(stored.connection) {
            registered.append(stored.connection.id)
        }
        return registered
    }

    /// Makes `connection`'s site hold exactly Freshet's four webhooks for it, at the current
    /// address; false (and plain polling) when Tableau refused.
    @discardableResult
    package func reconcile(_ connection: Connection) async -> Bool {
        let url = publicURL + WebhookRoutes.path(connectionId: connection.id, keyring: api.runtime.keyring)
        do {
            let client = try await api.runtime.client(for: connection.name, actor: "system")
            var kept: Set<String> = []
            for hook in try await client.webhooks() where Self.isFreshets(hook, connectionId: connection.id) {
                if hook.url == url, hook.isEnabled, let event = hook.event.flatMap(TableauWebhookEvent.canonical), kept.insert(event).inserted {
                    continue
                }
                try await client.deleteWebhook(id: hook.id)
            }
            for event in TableauWebhookEvent.registered where !kept.contains(event) {
                _ = try await client.createWebhook(name: Self.namePrefix(connection.id) + event, event: event, url: url)
            }
            await api.engine.setWebhooks(connection.id, registered: true)
            return true
        } catch {
            await api.engine.setWebhooks(connection.id, registered: false)
            logger.warning(
                "could not register Tableau webhooks; its runs are polled",
                metadata: ["connection": "\(connection.name)", "error": "\(error)"])
            return false
        }
    }

    /// Deletes Freshet's webhooks of the connection named `name` (before the connection is removed).
    package static func removeWebhooks(ofConnectionNamed name: String, api: FreshetAPI, logger: Logger) async {
        do {
            guard let stored = try await api.runtime.store.connection(named: name) else { return }
            let client = try await api.runtime.client(for: name, actor: "system", retry: RetryPolicy(maxRetries: 1))
            for hook in try await client.webhooks() where isFreshets(hook, connectionId: stored.connection.id) {
                try await client.deleteWebhook(id: hook.id)
            }
            await api.engine.setWebhooks(stored.connection.id, registered: false)
        } catch {
            logger.warning("could not remove the connection's Tableau webhooks", metadata: ["connection": "\(name)", "error": "\(error)"])
        }
    }

    static func namePrefix(_ connectionId: String) -> String { "freshet-\(connectionId)-" }

    /// Whether `hook` is one Freshet registered for the connection (by name or by address).
    static func isFreshets(_ hook: Webhook, connectionId: String) -> Bool {
        hook.name.hasPrefix(namePrefix(connectionId)) || (hook.url ?? "").contains("/hooks/tableau/\(connectionId)/")
    }
}

extension FreshetAPI {
    /// What `freshet serve` runs beside its HTTP server: run recovery every `recoveryInterval`,
    /// with a ``publicURL`` the Tableau webhook registrar, on PostgreSQL the run-change feed that
    /// wakes long-polls when another process changes a run, and token keep-alive.
    package func backgroundServices(recoveryInterval: Duration, logger: Logger) -> [any Service] {
        var services: [any Service] = [RunRecoveryService(api: self, interval: recoveryInterval, logger: logger)]
        if let publicURL { services.append(WebhookRegistrar(api: self, publicURL: publicURL, logger: logger)) }
        if let feed = runtime.runChanges { services.append(RunChangeService(feed: feed, engine: engine, logger: logger)) }
        // Signs in with idle connections whose keep-alive is on (hourly look, per-connection days).
        services.append(TokenKeepAlive(runtime: runtime, metrics: metrics.engine, logger: logger))
        return services
    }
}
