import Foundation
import Freshet
import FreshetSQLite
import Testing

@Suite struct SessionStoreTests {
    private func storeWithConnection() async throws -> (SQLiteStore, String) {
        let store = try Fixtures.memoryStore()
        let connection = try Fixtures.patConnection()
        try await store.insert(StoredConnection(connection: connection, sealedSecret: "fsk1:k1:A"))
        return (store, connection.id)
    }

    @Test func sessionRoundTripsAndSaveReplaces() async throws {
        let (store, id) = try await storeWithConnection()
        #expect(try await store.session(connectionId: id) == nil)
        let session = Fixtures.session(connectionId: id, sealedToken: "fsk1:k1:T1")
        try await store.save(session)
        #expect(try await store.session(connectionId: id) == session)
        var renewed = Fixtures.session(connectionId: id, sealedToken: "fsk1:k1:T2", expiresIn: 7_200_000)
        renewed.apiVersion = "3.19"
        try await store.save(renewed)
        #expect(try await store.session(connectionId: id) == renewed)
    }

    @Test func savingASessionForAnUnknownConnectionFails() async throws {
        let store = try Fixtures.memoryStore()
        await #expect(throws: StoreError.self) { try await store.save(Fixtures.session(connectionId: "nope", sealedToken: "fsk1:k1:T")) }
    }

    @Test func deleteSessionOnlyWhenTheTokenStillMatches() async throws {
        let (store, id) = try await storeWithConnection()
        try await store.save(Fixtures.session(connectionId: id, sealedToken: "fsk1:k1:NEW"))
        try await store.deleteSession(connectionId: id, sealedToken: "fsk1:k1:OLD")
        #expect(try await store.session(connectionId: id)?.sealedToken == "fsk1:k1:NEW")
        try await store.deleteSession(connectionId: id, sealedToken: "fsk1:k1:NEW")
        #expect(try await store.session(connectionId: id) == nil)

        try await store.save(Fixtures.session(connectionId: id, sealedToken: "fsk1:k1:ANY"))
        try await store.deleteSession(connectionId: id, sealedToken: nil)
        #expect(try await store.session(connectionId: id) == nil)
    }

    @Test func leaseIsExclusiveUntilExpiryRenewableAndReleasable() async throws {
        let store = try Fixtures.memoryStore()
        let lease = "signin:prod"
        #expect(try await store.acquireLease(lease, holder: "A", until: Fixtures.later(30_000), now: Fixtures.now))
        #expect(try await store.acquireLease(lease, holder: "B", until: Fixtures.later(40_000), now: Fixtures.later(1_000)) == false)
        // A renews before expiry; B is still refused after A's first expiry.
        #expect(try await store.acquireLease(lease, holder: "A", until: Fixtures.later(60_000), now: Fixtures.later(20_000)))
        #expect(try await store.acquireLease(lease, holder: "B", until: Fixtures.later(90_000), now: Fixtures.later(30_000)) == false)
        // B releasing does nothing; A releasing frees it for B.
        try await store.releaseLease(lease, holder: "B")
        #expect(try await store.acquireLease(lease, holder: "B", until: Fixtures.later(90_000), now: Fixtures.later(31_000)) == false)
        try await store.releaseLease(lease, holder: "A")
        #expect(try await store.acquireLease(lease, holder: "B", until: Fixtures.later(90_000), now: Fixtures.later(31_000)))
        #expect(try await store.acquireLease(lease, holder: "A", until: Fixtures.later(95_000), now: Fixtures.later(32_000)) == false)
    }

    @Test func anExpiredLeaseCanBeTakenOver() async throws {
        let store = try Fixtures.memoryStore()
        #expect(try await store.acquireLease("l", holder: "A", until: Fixtures.later(10_000), now: Fixtures.now))
        #expect(try await store.acquireLease("l", holder: "B", until: Fixtures.later(20_000), now: Fixtures.later(9_999)) == false)
        // expires_at <= now: expired exactly at its end.
        #expect(try await store.acquireLease("l", holder: "B", until: Fixtures.later(20_000), now: Fixtures.later(10_000)))
        #expect(try await store.acquireLease("l", holder: "A", until: Fixtures.later(30_000), now: Fixtures.later(15_000)) == false)
        // Leases are independent by name.
        #expect(try await store.acquireLease("other", holder: "A", until: Fixtures.later(30_000), now: Fixtures.later(15_000)))
    }
}
