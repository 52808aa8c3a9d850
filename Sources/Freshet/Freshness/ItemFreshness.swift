package import Foundation

/// How fresh one Tableau item is, as the runs that refreshed it left it: its last successful
/// refresh and its last failure (with Tableau's reason). The store updates it in the same write
/// as the run's terminal transition (``RunStore/transition(_:expectedVersion:now:)``), so a run
/// that ended is never missing from it, even across a crash.
package struct ItemFreshness: Sendable, Equatable, Codable {
    /// The connection (``Connection/id``) the item lives on.
    package var connectionId: String
    /// The item (type, Tableau id, latest name).
    package var item: RunItem
    /// The item's project, as the latest run knew it.
    package var projectName: String?
    /// When the last successful refresh ended, and its run.
    package var lastSuccessAt: Date?
    package var lastSuccessRunId: String?
    /// When the last failed (or timed-out) refresh ended, its run and Tableau's reason.
    package var lastFailureAt: Date?
    package var lastFailureRunId: String?
    package var lastFailureReason: String?
    /// A pipeline's reported failure upstream of the item, until that pipeline reports success.
    package var pipelineFailure: PipelineFailure?
    /// Since when the item is stale, as the last evaluation (``FreshnessMonitor``) found it; nil
    /// while fresh. Only the monitor changes it, so a change is a stale or recovery transition.
    package var staleSince: Date?
    /// When this record last changed.
    package var updatedAt: Date

    /// A record for `item` of `connectionId` with nothing known yet.
    package init(connectionId: String, item: RunItem, projectName: String? = nil, updatedAt: Date) {
        self.connectionId = connectionId
        self.item = item
        self.projectName = projectName
        self.updatedAt = updatedAt
    }

    /// The record's key: connection, content type and Tableau id.
    package var key: FreshnessKey { FreshnessKey(connectionId: connectionId, contentType: item.contentType, tableauId: item.tableauId) }

    /// `existing` (or a new record) after `run` ended at `now`: a success sets the last success, a
    /// failure or timeout the last failure and its reason; a cancelled run changes only the name
    /// and project. Nil when `run` has not ended.
    package static func recording(_ run: Run, onto existing: ItemFreshness?, at now: Date) -> ItemFreshness? {
        guard run.state.isTerminal else { return nil }
        var record = existing ?? ItemFreshness(connectionId: run.connectionId, item: run.item, projectName: run.projectName, updatedAt: now)
        record.item.name = run.item.name
        if let project = run.projectName { record.projectName = project }
        switch run.state {
        case .succeeded:
            record.lastSuccessAt = now
            record.lastSuccessRunId = run.id
        case .failed, .timedOut:
            record.lastFailureAt = now
            record.lastFailureRunId = run.id
            record.lastFailureReason = run.notes ?? (run.state == .timedOut ? "The refresh timed out" : "The refresh failed")
        case .cancelled, .accepted, .triggering, .waiting:
            break
        }
        record.updatedAt = now
        return record
    }
}

/// Identifies one tracked item: connection, content type and Tableau id.
package struct FreshnessKey: Sendable, Hashable, Codable {
    package var connectionId: String
    package var contentType: RunItem.ContentType
    package var tableauId: String

    package init(connectionId: String, contentType: RunItem.ContentType, tableauId: String) {
        self.connectionId = connectionId
        self.contentType = contentType
        self.tableauId = tableauId
    }
}
