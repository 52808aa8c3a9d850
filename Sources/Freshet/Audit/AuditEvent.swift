package import Foundation

/// One entry of the append-only audit log: who did what to what, when, and how it ended.
/// Details never hold secret values (only the names of changed fields).
package struct AuditEvent: Sendable, Equatable, Codable {
    /// Assigned by the store, increasing.
    package var sequence: Int64?
    package var time: Date
    /// Who: "cli:<os user>", "token:<name>", "system".
    package var actor: String
    /// What: "connection.created", "connection.edited", "connection.removed", "connection.checked",
    /// "tableau.signin", "secrets.rotated", …
    package var action: String
    /// What it was done to (a connection name, a run id…).
    package var target: String
    /// "success" or "failure".
    package var outcome: String
    /// Extra facts: changed fields, check results, Tableau's error.
    package var details: [String: String]

    package init(
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
package struct AuditQuery: Sendable, Equatable {
    package var actor: String?
    /// An action, or a prefix ending in "." ("connection.").
    package var action: String?
    package var target: String?
    package var outcome: String?
    package var since: Date?
    package var until: Date?
    /// Read events with a sequence below this one (paging backwards).
    package var before: Int64?
    package var limit: Int

    package init(
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
