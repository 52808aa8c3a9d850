package import Foundation

/// How an access event ended.
package enum AccessEventStatus: String, Sendable, Codable, CaseIterable {
    /// Being processed by one delivery; other deliveries of the same id wait for it.
    case pending
    /// Tableau's site role was changed.
    case applied
    /// Nothing needed changing (role already set, stale or secondary grant, user absent on revoke).
    case unchanged
    /// A rule refused it (unknown role, user never signed in, PAT not an administrator, Tableau said no).
    case refused
    /// Tableau could not be reached; a later delivery of the same id tries again.
    case failed

    /// Whether the event has its final outcome.
    package var isFinal: Bool { self != .pending && self != .failed }
}

/// An access event with its outcome, as stored (one per connection and event id).
package struct AccessEventRecord: Sendable, Equatable, Codable {
    package var connectionId: String
    package var connectionName: String
    package var eventId: String
    package var type: AccessEventKind
    package var user: String
    package var role: String
    /// Who delivered it: "token:<name>", "signature", "cli:<user>".
    package var actor: String
    package var status: AccessEventStatus
    /// Why: the refusal, the reason nothing changed, or Tableau's error.
    package var message: String
    /// The Tableau user it resolved to.
    package var userId: String?
    /// The site role before and after.
    package var previousRole: String?
    package var newRole: String?
    package var receivedAt: Date
    package var completedAt: Date?

    package init(
        connectionId: String, connectionName: String, eventId: String, type: AccessEventKind, user: String, role: String, actor: String,
        status: AccessEventStatus = .pending, message: String = "", userId: String? = nil, previousRole: String? = nil,
        newRole: String? = nil, receivedAt: Date, completedAt: Date? = nil
    ) {
        self.connectionId = connectionId
        self.connectionName = connectionName
        self.eventId = eventId
        self.type = type
        self.user = user
        self.role = role
        self.actor = actor
        self.status = status
        self.message = message
        self.userId = userId
        self.previousRole = previousRole
        self.newRole = newRole
        self.receivedAt = receivedAt
        self.completedAt = completedAt
    }
}

/// What handling one delivery produced.
package struct AccessEventResult: Sendable, Equatable, Codable {
    package var record: AccessEventRecord
    /// True when the event id was seen before: `record` is the first delivery's outcome (or
    /// still `pending` while that delivery runs) and Tableau was not called.
    package var repeated: Bool

    package init(record: AccessEventRecord, repeated: Bool) {
        self.record = record
        self.repeated = repeated
    }
}
