public import Foundation

/// How an access event ended.
public enum AccessEventStatus: String, Sendable, Codable, CaseIterable {
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
    public var isFinal: Bool { self != .pending && self != .failed }
}

/// An access event with its outcome, as stored (one per connection and event id).
public struct AccessEventRecord: Sendable, Equatable, Codable {
    public var connectionId: String
    public var connectionName: String
    public var eventId: String
    public var type: AccessEventKind
    public var user: String
    public var role: String
    /// Who delivered it: "token:<name>", "signature", "cli:<user>".
    public var actor: String
    public var status: AccessEventStatus
    /// Why: the refusal, the reason nothing changed, or Tableau's error.
    public var message: String
    /// The Tableau user it resolved to.
    public var userId: String?
    /// The site role before and after.
    public var previousRole: String?
    public var newRole: String?
    public var receivedAt: Date
    public var completedAt: Date?

    public init(
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
public struct AccessEventResult: Sendable, Equatable, Codable {
    public var record: AccessEventRecord
    /// True when the event id was seen before: `record` is the first delivery's outcome (or
    /// still `pending` while that delivery runs) and Tableau was not called.
    public var repeated: Bool

    public init(record: AccessEventRecord, repeated: Bool) {
        self.record = record
        self.repeated = repeated
    }
}
