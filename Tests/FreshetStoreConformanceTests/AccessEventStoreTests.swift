import Foundation
import Freshet
import Testing

/// The access-event store (every kind): one record per connection and event id, claims that exactly
/// one delivery wins (across database handles), takeover of expired claims and failed events.
@Suite struct AccessEventStoreTests {
    func record(_ eventId: String, connection: String = "c1", actor: String = "a") -> AccessEventRecord {
        AccessEventRecord(
            connectionId: connection, connectionName: "prod", eventId: eventId, type: .granted, user: "ana@example.com", role: "Creator",
            actor: actor, receivedAt: Fixtures.now
        )
    }

    @Test(arguments: StoreKind.all) func claimCompleteAndRepeat(_ kind: StoreKind) async throws {
        let (stores, cleanUp) = try await kind.makeAccessEventStores(1)
        defer { cleanUp() }
        let store = stores[0]
        do {
            let until = Fixtures.later(300_000)
            guard case .claimed(let pending) = try await store.claimAccessEvent(record("e1"), holder: "h1", claimUntil: until, now: Fixtures.now) else {
                Issue.record("first claim lost")
                return
            }
            #expect(pending.status == .pending && pending.receivedAt == Fixtures.now)
            #expect(try await store.claimAccessEvent(record("e1"), holder: "h2", claimUntil: until, now: Fixtures.now) == .existing(pending))
            var done = pending
            done.status = .unchanged
            done.message = "stale grant"
            done.previousRole = "Viewer"
            done.newRole = "Viewer"
            done.completedAt = Fixtures.later(10)
            #expect(try await store.completeAccessEvent(done, holder: "h2") == false)
            #expect(try await store.completeAccessEvent(done, holder: "h1"))
            #expect(try await store.accessEvent(connectionId: "c1", eventId: "e1") == done)
            // Even after its claim time, a final record is never claimed again.
            #expect(try await store.claimAccessEvent(record("e1"), holder: "h3", claimUntil: until, now: Fixtures.later(900_000)) == .existing(done))
            // The same event id on another connection is another event.
            guard case .claimed = try await store.claimAccessEvent(record("e1", connection: "c2"), holder: "h4", claimUntil: until, now: Fixtures.now) else {
                Issue.record("another connection's event was refused")
                return
            }
            #expect(try await store.accessEvents(AccessEventQuery(connectionId: "c1")).map(\.eventId) == ["e1"])
            #expect(try await store.accessEvents(AccessEventQuery(status: .pending)).map(\.connectionId) == ["c2"])
        }
    }

    @Test(arguments: StoreKind.all) func expiredClaimsAndFailedEventsAreTakenOver(_ kind: StoreKind) async throws {
        let (stores, cleanUp) = try await kind.makeAccessEventStores(1)
        defer { cleanUp() }
        let store = stores[0]
        do {
            _ = try await store.claimAccessEvent(record("e2"), holder: "h1", claimUntil: Fixtures.later(1000), now: Fixtures.now)
            guard case .claimed(let taken) = try await store.claimAccessEvent(record("e2", actor: "b"), holder: "h2", claimUntil: Fixtures.later(5000), now: Fixtures.later(1000)) else {
                Issue.record("an expired claim was not taken over")
                return
            }
            #expect(taken.actor == "b" && taken.receivedAt == Fixtures.now)
            var failed = taken
            failed.status = .failed
            failed.message = "could not reach Tableau"
            #expect(try await store.completeAccessEvent(failed, holder: "h2"))
            guard case .claimed = try await store.claimAccessEvent(record("e2"), holder: "h3", claimUntil: Fixtures.later(9000), now: Fixtures.later(2000)) else {
                Issue.record("a failed event was not retried")
                return
            }
        }
    }

    @Test(arguments: StoreKind.all) func concurrentClaimsFromSeveralHandlesHaveOneWinner(_ kind: StoreKind) async throws {
        let (stores, cleanUp) = try await kind.makeAccessEventStores(12)
        defer { cleanUp() }
        do {
            let wins = try await withThrowingTaskGroup(of: Bool.self) { group in
                for (index, store) in stores.enumerated() {
                    group.addTask {
                        let claim = try await store.claimAccessEvent(record("race"), holder: "h\(index)", claimUntil: Fixtures.later(60_000), now: Fixtures.now)
                        if case .claimed = claim { return true }
                        return false
                    }
                }
                return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
            }
            #expect(wins == 1)
        }
    }
}
