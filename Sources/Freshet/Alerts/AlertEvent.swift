package import Foundation

/// Something the owner of an item must hear about: a refresh failed, an item became stale, it
/// recovered — or any other kind a caller enqueues (``AlertOutbox/enqueue(_:)``). Stored whole in
/// the outbox; the message is rendered from it when it is sent, and carries ``id`` so a receiver
/// can drop repeats (delivery is at least once).
package struct AlertEvent: Sendable, Equatable, Codable {
    /// The kinds Freshet raises itself. Other components may use their own (`token.expiring`…).
    package enum Kind {
        /// A refresh run failed or timed out.
        package static let runFailed = "run.failed"
        /// A refresh succeeded after the item's last refresh had failed.
        package static let runRecovered = "run.recovered"
        /// An item became stale (see docs/freshness.md).
        package static let itemStale = "freshness.stale"
        /// A stale item became fresh again.
        package static let itemRecovered = "freshness.recovered"
        /// A connection's Tableau token will expire within its warning threshold (issue 20).
        package static let tokenExpiring = "token.expiring"
    }

    /// Unique per event: the receiver's deduplication key, and the outbox's (one delivery per event and route).
    package var id: String
    /// What happened (``Kind``, or a caller's own kind).
    package var kind: String
    package var occurredAt: Date
    /// The connection concerned (routes may filter on it), if any.
    package var connectionId: String?
    /// The project concerned (routes may filter on it), if any.
    package var project: String?
    /// The item concerned, if any.
    package var item: RunItem?
    /// One line for people ("Refresh of data source Sales failed").
    package var summary: String
    /// Tableau's reason, or why.
    package var reason: String?
    /// tableauJobFailed, triggerRejected, tableauUnreachable, timedOut, stale… (nil when none applies).
    package var failureClass: String?
    /// The run concerned (its link is rendered from it).
    package var runId: String?
    /// Further facts, shown as they are.
    package var details: [String: String]

    package init(
        id: String = UUID().uuidString, kind: String, occurredAt: Date, connectionId: String? = nil, project: String? = nil, item: RunItem? = nil,
        summary: String, reason: String? = nil, failureClass: String? = nil, runId: String? = nil, details: [String: String] = [:]
    ) {
        self.id = id
        self.kind = kind
        self.occurredAt = occurredAt
        self.connectionId = connectionId
        self.project = project
        self.item = item
        self.summary = summary
        self.reason = reason
        self.failureClass = failureClass
        self.runId = runId
        self.details = details
    }

    /// The event of `run` ending at `now`, given its item's freshness before: a failure or
    /// timeout is ``Kind/runFailed``; a success after a failure is ``Kind/runRecovered``; else nil.
    /// Its id is derived from the run (`run.<id>`): recording the same end twice enqueues it once.
    package static func runEnded(_ run: Run, previous: ItemFreshness?, at now: Date) -> AlertEvent? {
        let noun = "\(run.item.contentType.noun) \(run.item.name)"
        switch run.state {
        case .failed, .timedOut:
            return AlertEvent(
                id: "run.\(run.id)", kind: Kind.runFailed, occurredAt: now, connectionId: run.connectionId, project: run.projectName, item: run.item,
                summary: run.state == .timedOut ? "Refresh of \(noun) timed out" : "Refresh of \(noun) failed",
                reason: run.notes ?? (run.state == .timedOut ? "The refresh timed out" : "The refresh failed"), failureClass: failureClass(of: run),
                runId: run.id)
        case .succeeded:
            guard let previous, let failure = previous.lastFailureAt, failure >= (previous.lastSuccessAt ?? .distantPast) else { return nil }
            return AlertEvent(
                id: "run.\(run.id)", kind: Kind.runRecovered, occurredAt: now, connectionId: run.connectionId, project: run.projectName, item: run.item,
                summary: "Refresh of \(noun) succeeded again", reason: nil, failureClass: nil, runId: run.id)
        case .accepted, .triggering, .waiting, .cancelled:
            return nil
        }
    }

    /// Why `run` failed, as a class: the job failed in Tableau, Tableau refused the trigger,
    /// Tableau could not be reached, or the run timed out.
    package static func failureClass(of run: Run) -> String {
        if run.state == .timedOut { return "timedOut" }
        switch run.attempts.last?.outcome {
        case .failed: return "tableauJobFailed"
        case .transientFailure, .unknown, .interrupted: return "tableauUnreachable"
        default: return run.jobId == nil ? "triggerRejected" : "tableauJobFailed"
        }
    }

    /// The event of a freshness transition.
    package static func freshness(_ transition: FreshnessTransition) -> AlertEvent {
        let record = transition.status.record
        let noun = "\(record.item.contentType.noun) \(record.item.name)"
        var details: [String: String] = [:]
        if let age = transition.status.ageSeconds { details["ageSeconds"] = String(Int(age)) }
        if let policy = transition.status.policy { details["maxAgeSeconds"] = String(Int(policy.maxAgeSeconds)) }
        let stamp = Int(transition.at.timeIntervalSince1970)
        return AlertEvent(
            id: "freshness.\(record.connectionId).\(record.item.contentType.rawValue).\(record.item.tableauId).\(transition.becameStale ? "stale" : "fresh").\(stamp)",
            kind: transition.becameStale ? Kind.itemStale : Kind.itemRecovered, occurredAt: transition.at, connectionId: record.connectionId,
            project: record.projectName, item: record.item,
            summary: transition.becameStale ? "\(noun) is stale" : "\(noun) is fresh again",
            reason: transition.becameStale ? staleText(transition.status) : nil, failureClass: transition.status.staleReason?.rawValue,
            runId: transition.becameStale ? record.lastFailureRunId : record.lastSuccessRunId, details: details)
    }

    static func staleText(_ status: FreshnessStatus) -> String {
        switch status.staleReason {
        case .refreshFailed: "Its last refresh failed: \(status.record.lastFailureReason ?? "no reason given")"
        case .neverSucceeded: "It has never been refreshed successfully"
        case .tooOld: "Its last successful refresh is older than \(Int(status.policy?.maxAgeSeconds ?? 0)) seconds"
        case .pipelineFailed:
            "Pipeline \(status.record.pipelineFailure?.pipeline ?? "?") reported a failure" + (status.record.pipelineFailure?.reason.map { ": \($0)" } ?? "")
        case nil: "It is stale"
        }
    }
}
