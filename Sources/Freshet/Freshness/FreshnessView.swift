public import Foundation

/// One item's freshness as the API and the CLI show it.
public struct FreshnessView: Sendable, Equatable, Codable {
    public var connectionId: String
    /// The connection's name (its id when the connection was removed).
    public var connection: String
    /// "datasource" or "workbook".
    public var itemType: String
    public var itemId: String
    public var itemName: String
    public var project: String?
    /// When the last successful refresh ended, and its run.
    public var lastSuccessAt: Date?
    public var lastSuccessRunId: String?
    /// Whole seconds since the last successful refresh (null: never).
    public var ageSeconds: Int?
    /// When the last failed or timed-out refresh ended, its run and Tableau's reason.
    public var lastFailureAt: Date?
    public var lastFailureRunId: String?
    public var lastFailureReason: String?
    /// The pipeline upstream that reported a failure (until it reports success), when, and why.
    public var pipelineFailure: PipelineFailure?
    public var stale: Bool
    /// refreshFailed, neverSucceeded, tooOld or pipelineFailed; null when fresh.
    public var staleReason: String?
    /// Since when the freshness monitor has found the item stale.
    public var staleSince: Date?
    /// The governing policy's maximum age in seconds, and its scope ("connection", "project", "item").
    public var maxAgeSeconds: Int?
    public var policyScope: String?

    /// `status` on the connection named `connection`.
    public init(_ status: FreshnessStatus, connection: String) {
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
public struct FreshnessPolicyView: Sendable, Equatable, Codable {
    /// "connection", "project" or "item".
    public var scope: String
    public var connectionId: String
    public var connection: String
    public var project: String?
    public var itemType: String?
    public var itemId: String?
    public var itemName: String?
    public var maxAgeSeconds: Int
    public var setBy: String
    public var setAt: Date

    /// `policy` on the connection named `connection`.
    public init(_ policy: FreshnessPolicy, connection: String) {
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
