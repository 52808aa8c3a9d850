package import Foundation

/// One item's freshness as the API and the CLI show it.
package struct FreshnessView: Sendable, Equatable, Codable {
    package var connectionId: String
    /// The connection's name (its id when the connection was removed).
    package var connection: String
    /// "datasource" or "workbook".
    package var itemType: String
    package var itemId: String
    package var itemName: String
    package var project: String?
    /// When the last successful refresh ended, and its run.
    package var lastSuccessAt: Date?
    package var lastSuccessRunId: String?
    /// Whole seconds since the last successful refresh (null: never).
    package var ageSeconds: Int?
    /// When the last failed or timed-out refresh ended, its run and Tableau's reason.
    package var lastFailureAt: Date?
    package var lastFailureRunId: String?
    package var lastFailureReason: String?
    /// The pipeline upstream that reported a failure (until it reports success), when, and why.
    package var pipelineFailure: PipelineFailure?
    package var stale: Bool
    /// refreshFailed, neverSucceeded, tooOld or pipelineFailed; null when fresh.
    package var staleReason: String?
    /// Since when the freshness monitor has found the item stale.
    package var staleSince: Date?
    /// The governing policy's maximum age in seconds, and its scope ("connection", "project", "item").
    package var maxAgeSeconds: Int?
    package var policyScope: String?

    /// `status` on the connection named `connection`.
    package init(_ status: FreshnessStatus, connection: String) {
        let record = status.record
        connectionId = record.connectionId
        self.connection = connection
        itemType = record.item.contentType.rawValue
        itemId = record.item.tableauId
        itemName = record.item.name
        project = record.projectName
        lastSuccessAt = record.lastSuccessAt
        lastSuccessRunId = record.lastSuccessRunId
        ageSeconds = status.ageSeconds.map { Int($0) }
        lastFailureAt = record.lastFailureAt
        lastFailureRunId = record.lastFailureRunId
        lastFailureReason = record.lastFailureReason
        pipelineFailure = record.pipelineFailure
        stale = status.isStale
        staleReason = status.staleReason?.rawValue
        staleSince = record.staleSince
        maxAgeSeconds = status.policy.map { Int($0.maxAgeSeconds) }
        policyScope = status.policy?.scope.kind
    }
}

/// A freshness policy as the API and the CLI show it.
package struct FreshnessPolicyView: Sendable, Equatable, Codable {
    /// "connection", "project" or "item".
    package var scope: String
    package var connectionId: String
    package var connection: String
    package var project: String?
    package var itemType: String?
    package var itemId: String?
    package var itemName: String?
    package var maxAgeSeconds: Int
    package var setBy: String
    package var setAt: Date

    /// `policy` on the connection named `connection`.
    package init(_ policy: FreshnessPolicy, connection: String) {
        scope = policy.scope.kind
        connectionId = policy.scope.connectionId
        self.connection = connection
        switch policy.scope {
        case .connection: break
        case .project(_, let name): project = name
        case .item(let key):
            itemType = key.contentType.rawValue
            itemId = key.tableauId
            itemName = policy.itemName
        }
        maxAgeSeconds = Int(policy.maxAgeSeconds)
        setBy = policy.setBy
        setAt = policy.setAt
    }
}
