package import Foundation

/// The outcome of claiming an event id.
package enum AccessEventClaim: Sendable, Equatable {
    /// This delivery holds the event and must complete it.
    case claimed(AccessEventRecord)
    /// The id is known: its record (final, or pending under another live claim).
    case existing(AccessEventRecord)
}

/// Which recorded events to read, newest first.
package struct AccessEventQuery: Sendable, Equatable {
    package var connectionId: String?
    package var user: String?
    package var status: AccessEventStatus?
    package var limit: Int

    package init(connectionId: String? = nil, user: String? = nil, status: AccessEventStatus? = nil, limit: Int = 100) {
        self.connectionId = connectionId
        self.user = user
        self.status = status
        self.limit = max(1, min(limit, 10_000))
    }

    /// Whether `record` matches (the reference for every store).
    package func matches(_ record: AccessEventRecord) -> Bool {
        (connectionId.map { $0 == record.connectionId } ?? true) && (user.map { $0 == record.user } ?? true)
            && (status.map { $0 == record.status } ?? true)
    }
}

/// Access events and their outcomes: one record per connection and event id, whatever the number
/// of deliveries or processes.
package protocol AccessEventStore: Sendable {
    /// Atomically records `record` (status pending) under a claim held by `holder` until
    /// `claimUntil` — unless the connection already has this event id. A record that is pending
    /// under an expired claim, or `failed` (Tableau unreachable), is claimed again (its first
    /// received time kept); any other existing record is returned as ``AccessEventClaim/existing(_:)``.
    func claimAccessEvent(_ record: AccessEventRecord, holder: String, claimUntil: Date, now: Date) async throws -> AccessEventClaim
    /// Stores the outcome of a claimed event; false when `holder` no longer holds the claim.
    func completeAccessEvent(_ record: AccessEventRecord, holder: String) async throws -> Bool
    /// The record of `eventId` on `connectionId`.
    func accessEvent(connectionId: String, eventId: String) async throws -> AccessEventRecord?
    /// Records matching `query`, newest first.
    func accessEvents(_ query: AccessEventQuery) async throws -> [AccessEventRecord]
}
