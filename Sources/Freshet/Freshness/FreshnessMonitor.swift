package import Foundation
package import Logging

/// A stale or recovery transition of one item, found by ``FreshnessMonitor/evaluate()``.
package struct FreshnessTransition: Sendable, Equatable {
    /// The item as evaluated.
    package var status: FreshnessStatus
    /// True: the item became stale; false: it became fresh again.
    package var becameStale: Bool
    /// When the transition was found.
    package var at: Date
}

/// Finds the items whose stale flag changed since the last evaluation and makes each change an
/// event: the stale mark is stored with its alert (compare-and-set, so two processes never
/// report one change twice; the alert in the same write), a "freshness.stale" or
/// "freshness.recovered" audit entry is appended and the transition metric counted. Time comes
/// from an injectable clock.
package struct FreshnessMonitor: Sendable {
    let store: any FreshnessStore
    let audit: any AuditStore
    let clock: any RunClock
    let metrics: EngineMetrics
    let logger: Logger

    package init(
        store: any FreshnessStore, audit: any AuditStore, clock: any RunClock = SystemRunClock(), metrics: EngineMetrics = EngineMetrics(),
        logger: Logger = Logger(label: "freshet.freshness", factory: { _ in SwiftLogNoOpLogHandler() })
    ) {
        self.store = store
        self.audit = audit
        self.clock = clock
        self.metrics = metrics
        self.logger = logger
    }

    /// Every item matching `query`, evaluated now under the stored policies.
    package func report(_ query: FreshnessQuery = FreshnessQuery()) async throws -> [FreshnessStatus] {
        let policies = try await store.freshnessPolicies()
        let now = clock.now()
        return try await store.freshness(query).map { FreshnessStatus($0, policies: policies, now: now) }
    }

    /// Evaluates every item and records each stale or recovery transition; returns them.
    @discardableResult
    package func evaluate() async throws -> [FreshnessTransition] {
        var transitions: [FreshnessTransition] = []
        let now = clock.now()
        for status in try await report() {
            let wasStale = status.record.staleSince != nil
            guard status.isStale != wasStale else { continue }
            let since: Date? = status.isStale ? now : nil
            var marked = status
            marked.record.staleSince = since
            let transition = FreshnessTransition(status: marked, becameStale: status.isStale, at: now)
            let alert = AlertEvent.freshness(transition)
            guard try await store.markStale(status.record.key, staleSince: since, expected: status.record.staleSince, now: now, alert: alert) else { continue }
            transitions.append(transition)
        }
        for transition in transitions { metrics.freshnessTransition(stale: transition.becameStale) }
        if !transitions.isEmpty { try await audit.append(contentsOf: transitions.map(Self.auditEvent)) }
        return transitions
    }

    /// The audit entry of `transition`.
    static func auditEvent(_ transition: FreshnessTransition) -> AuditEvent {
        let record = transition.status.record
        var details = [
            "connection": record.connectionId, "item": "\(record.item.contentType.noun) \(record.item.name)", "itemId": record.item.tableauId,
        ]
        if let project = record.projectName { details["project"] = project }
        if let reason = transition.status.staleReason { details["reason"] = reason.rawValue }
        if let age = transition.status.ageSeconds { details["ageSeconds"] = String(Int(age)) }
        if let policy = transition.status.policy { details["maxAgeSeconds"] = String(Int(policy.maxAgeSeconds)) }
        if let failure = record.lastFailureReason, transition.status.staleReason == .refreshFailed { details["lastFailure"] = failure }
        return AuditEvent(
            time: transition.at, actor: "system", action: transition.becameStale ? "freshness.stale" : "freshness.recovered",
            target: "\(record.item.contentType.rawValue):\(record.item.tableauId)", outcome: transition.becameStale ? "failure" : "success",
            details: details)
    }
}
