package import Foundation

/// Records what each sign-in says about a credential's lifetime, reports it to metrics, and
/// audits the moment a token's remaining life falls below its connection's warning threshold
/// (`tableau.token.expiring`, once per crossing) and alerts its owners through the outbox
/// (`token.expiring`, when `alerts` is given; docs/decisions/alert-outbox.md).
package struct TokenLifetimes: Sendable {
    let store: any CredentialLifetimeStore
    let audit: any AuditStore
    let alerts: (any AlertStore)?
    let metrics: EngineMetrics
    let now: @Sendable () -> Date

    package init(
        store: any CredentialLifetimeStore, audit: any AuditStore, alerts: (any AlertStore)? = nil, metrics: EngineMetrics = EngineMetrics(),
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.store = store
        self.audit = audit
        self.alerts = alerts
        self.metrics = metrics
        self.now = now
    }

    /// The same service reporting to `metrics`.
    package func reporting(to metrics: EngineMetrics) -> TokenLifetimes {
        TokenLifetimes(store: store, audit: audit, alerts: alerts, metrics: metrics, now: now)
    }

    /// Records a sign-in with `connection`'s credential; `expiresIn` is Tableau's
    /// `estimatedTimeToExpiration` in seconds (nil when absent).
    package func recordSignIn(_ connection: Connection, expiresIn: TimeInterval?, actor: String) async throws {
        let time = now()
        let previous = try await store.credentialLifetime(connectionId: connection.id)
        let expiresAt = expiresIn.map { time.addingTimeInterval($0) }
        try await store.recordSignIn(connectionId: connection.id, at: time, expiresAt: expiresAt)
        metrics.tokenExpiry(connection: connection.name, secondsLeft: expiresIn)
        guard let expiresIn else { return }
        let threshold = TimeInterval(connection.effectiveWarningDays) * 86_400
        // Measured when each was recorded: the same token's expiry read later is no new news.
        let before = previous.flatMap { old in old.expiresAt.map { $0.timeIntervalSince(old.lastUsedAt) } }
        guard expiresIn < threshold, before.map({ $0 >= threshold }) ?? true else { return }
        let daysLeft = Int((expiresIn / 86_400).rounded(.down))
        let expiresAtText = time.addingTimeInterval(expiresIn).formatted(.iso8601)
        let details = ["daysLeft": String(daysLeft), "thresholdDays": String(connection.effectiveWarningDays), "expiresAt": expiresAtText]
        try await audit.append(
            AuditEvent(time: time, actor: actor, action: "tableau.token.expiring", target: connection.name, outcome: "warning", details: details))
        guard let alerts else { return }
        // One alert per crossing: the id names the connection and the token's expiry.
        _ = try await alerts.enqueueAlert(
            AlertEvent(
                id: "token.expiring.\(connection.id).\(expiresAtText)", kind: AlertEvent.Kind.tokenExpiring, occurredAt: time,
                connectionId: connection.id,
                summary: "The Tableau token of connection \(connection.name) expires in \(daysLeft) day\(daysLeft == 1 ? "" : "s") (\(expiresAtText))",
                reason: "Fewer than \(connection.effectiveWarningDays) days left: renew the Personal Access Token in Tableau and update the connection's secret (or its secret reference), or turn on keep-alive",
                details: details),
            now: time)
    }

    /// The recorded lifetime of `connection`'s credential, if any sign-in recorded one.
    package func lifetime(of connection: Connection) async throws -> CredentialLifetime? {
        try await store.credentialLifetime(connectionId: connection.id)
    }

    /// Sets the seconds-to-expiry gauge of every connection in `connections` from the store (for `/metrics`).
    package func reportAll(_ connections: [Connection]) async throws {
        let lifetimes = Dictionary(try await store.credentialLifetimes().map { ($0.connectionId, $0) }, uniquingKeysWith: { a, _ in a })
        let time = now()
        for connection in connections {
            if let left = lifetimes[connection.id]?.secondsLeft(at: time) { metrics.tokenExpiry(connection: connection.name, secondsLeft: left) }
        }
    }
}
