import Foundation
package import Freshet
package import Logging
import ServiceLifecycle
import TableauClient

/// Keeps idle Tableau credentials alive: every `interval` (on the runtime's clock) it signs in
/// anew with each connection whose keep-alive is on and whose last sign-in is older than its
/// keep-alive days, so a Tableau Cloud PAT (which lapses after 15 days unused) stays usable.
/// Each keep-alive sign-in is audited as `tableau.keepalive` (success or failure).
package struct TokenKeepAlive: Service {
    let runtime: FreshetRuntime
    let interval: Duration
    let initialDelay: Duration
    let metrics: EngineMetrics
    let logger: Logger
    let onPass: @Sendable ([String]) -> Void

    /// - Parameters:
    ///   - interval: how often connections are looked at (hourly by default; the keep-alive
    ///     days decide who signs in).
    ///   - initialDelay: how long after start the first pass runs (a minute by default, so a
    ///     starting server is not busy with it, and one that fails to start never gets to it).
    ///   - onPass: told the connections signed in after each pass of ``run()``.
    package init(
        runtime: FreshetRuntime, interval: Duration = .seconds(3600), initialDelay: Duration = .seconds(60),
        metrics: EngineMetrics = EngineMetrics(), logger: Logger, onPass: @escaping @Sendable ([String]) -> Void = { _ in }
    ) {
        self.runtime = runtime
        self.interval = interval
        self.initialDelay = initialDelay
        self.metrics = metrics
        self.logger = logger
        self.onPass = onPass
    }

    package func run() async throws {
        await cancelWhenGracefulShutdown {
            do { try await runtime.clock.sleep(for: initialDelay) } catch { return }
            while !Task.isCancelled {
                onPass(await tick())
                do { try await runtime.clock.sleep(for: interval) } catch { return }
            }
        }
    }

    /// One pass: signs in with every connection due. Returns the names signed in successfully.
    @discardableResult
    package func tick() async -> [String] {
        let due: [Connection]
        do {
            let connections = try await runtime.store.connections().map(\.connection)
            due = KeepAlivePlan.due(connections, lifetimes: try await runtime.store.credentialLifetimes(), now: runtime.clock.now())
        } catch {
            if !(error is CancellationError) { logger.error("keep-alive could not read connections", metadata: ["error": "\(error)"]) }
            return []
        }
        var renewed: [String] = []
        for connection in due {
            let previous = try? await runtime.store.credentialLifetime(connectionId: connection.id)
            var details = ["keepAliveDays": String(connection.keepAliveDays ?? 0)]
            if let previous {
                details["idleDays"] = String(Int((runtime.clock.now().timeIntervalSince(previous.lastUsedAt) / 86_400).rounded(.down)))
            }
            do {
                let client = try await runtime.client(
                    for: connection.name, actor: Self.actor, retry: FreshetRuntime.checkRetry, transport: MeteredTransport(metrics: metrics),
                    metrics: metrics)
                let session = try await client.signInAnew()
                if let left = session.credentialExpiresIn { details["daysLeft"] = String(Int((left / 86_400).rounded(.down))) }
                try? await runtime.store.append(
                    AuditEvent(time: runtime.clock.now(), actor: Self.actor, action: "tableau.keepalive", target: connection.name, outcome: "success", details: details))
                renewed.append(connection.name)
                logger.info("keep-alive sign-in", metadata: ["connection": "\(connection.name)"])
            } catch {
                details["error"] = "\(error)"
                try? await runtime.store.append(
                    AuditEvent(time: runtime.clock.now(), actor: Self.actor, action: "tableau.keepalive", target: connection.name, outcome: "failure", details: details))
                logger.warning("keep-alive sign-in failed", metadata: ["connection": "\(connection.name)", "error": "\(error)"])
            }
        }
        return renewed
    }

    /// The audit actor of keep-alive sign-ins.
    package static let actor = "keep-alive"
}
