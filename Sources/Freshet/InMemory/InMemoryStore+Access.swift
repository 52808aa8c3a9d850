package import Foundation

/// The reference ``AccessEventStore`` in memory (tests, dry runs). A separate actor from
/// ``InMemoryStore`` because extensions cannot add storage; one actor makes every claim atomic.
package actor InMemoryAccessEventStore: AccessEventStore {
    private struct Key: Hashable {
        var connectionId: String
        var eventId: String
    }

    private var records: [Key: (record: AccessEventRecord, holder: String?, claimUntil: Date?, order: Int)] = [:]
    private var counter = 0

    package init() {}

    package func claimAccessEvent(_ record: AccessEventRecord, holder: String, claimUntil: Date, now: Date) -> AccessEventClaim {
        let key = Key(connectionId: record.connectionId, eventId: record.eventId)
        var claimed = record
        claimed.status = .pending
        if let existing = records[key] {
            let expired = existing.record.status == .pending && (existing.claimUntil ?? .distantPast) <= now
            guard expired || existing.record.status == .failed else { return .existing(existing.record) }
            // The event keeps what its first delivery said; only the claim and the outcome reset.
            claimed = existing.record
            claimed.status = .pending
            claimed.actor = record.actor
            claimed.message = ""
            (claimed.userId, claimed.previousRole, claimed.newRole, claimed.completedAt) = (nil, nil, nil, nil)
            records[key] = (claimed, holder, claimUntil, existing.order)
            return .claimed(claimed)
        }
        counter += 1
        records[key] = (claimed, holder, claimUntil, counter)
        return .claimed(claimed)
    }

    package func completeAccessEvent(_ record: AccessEventRecord, holder: String) -> Bool {
        let key = Key(connectionId: record.connectionId, eventId: record.eventId)
        guard let existing = records[key], existing.holder == holder else { return false }
        records[key] = (record, nil, nil, existing.order)
        return true
    }

    package func accessEvent(connectionId: String, eventId: String) -> AccessEventRecord? {
        records[Key(connectionId: connectionId, eventId: eventId)]?.record
    }

    package func accessEvents(_ query: AccessEventQuery) -> [AccessEventRecord] {
        records.values.filter { query.matches($0.record) }.sorted { $0.order > $1.order }.prefix(query.limit).map(\.record)
    }
}
