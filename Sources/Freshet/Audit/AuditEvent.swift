public import Foundation

/// One entry of the append-only audit log: who did what to what, when, and how it ended.
/// Details never hold secret values (only the names of changed fields).
public struct AuditEvent: Sendable, Equatable, Codable {
    /// Assigned by the store, increasing.
    public var sequence: Int64?
    public var time: Date
    /// Who: "cli:<os user>", "token:<name>", "system".
    public var actor: String
    /// What: "connection.created", "connection.edited", "connection.removed", "connection.checked",
    /// "tableau.signin", "secrets.rotated", …
    public var action: String
    /// What it was done to (a connection name, a run id…).
    public var target: String
    /// "success" or "failure".
    public var outcome: String
    /// Extra facts: changed fields, check results, Tableau's error.
    public var details: [String: String]

    public init(
        sequence: Int64? = nil, time: Date = Date(), actor: String, action: String, target: String, outcome: String,
        details: [String: String] = [:]
    ) {
        self.sequence = sequence
        self.time = time
        self.actor = actor
        self.action = action
        self.target = target
        self.outcome = outcome
        self.details = details
    }
}

/// Which audit events to read, newest first.
public struct AuditQuery: Sendable, Equatable {
    public var actor: String?
    /// An action, or a prefix ending in "." ("connection.").
    public var action: String?
    public var target: String?
    public var outcome: String?
    public var since: Date?
    public var until: Date?
    /// Read events with a sequence below this one (paging backwards).
    public var before: Int64?
    public var limit: Int

    public init(
        actor: String? = nil, action: String? = nil, target: String? = nil, outcome: String? = nil, since: Date? = nil, until: Date? = nil,
        before: Int64? = nil, limit: Int = 100
    ) {
        self.actor = actor
        self.action = action
        self.target = target
        self.outcome = outcome
        self.since = since
        self.until = until
        self.before = before
        self.limit = max(1, min(limit, 10_000))
    }
}
