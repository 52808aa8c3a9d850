import Foundation
import Freshet
import FreshetSQLite
import Testing

@Suite struct SessionStoreTests {
    private func storeWithConnection(_ store: any ConformingStore) async throws -> (any ConformingStore, String) {
        let connection = try Fixtures.patConnection()
        try await store.insert(StoredConnection(connection: connection, sealedSecret: "fsk1:k1:A"))
        return (store, connection.id)
    }

    @Test(arguments: StoreKind.all) func sessionRoundTripsAndSaveReplaces(_ kind: StoreKind) async throws {
        let (empty, cleanUp) = try await kind.make()
        defer { cleanUp() }
        let (store, id) = try await storeWithConnection(empty)
        #expect(try await store.session(connectionId: id) == nil)
        let session = Fixtures.session(connectionId: id, sealedToken: "fsk1:k1:T1")
        try await store.save(session)
        #expect(try await store.session(connectionId: id) == session)
        var renewed = Fixtures.session(connectionId: id, sealedToken: "fsk1:k1:T2", expiresIn: 7_200_000)
        renewed.apiVersion = "3.19"
        try await store.save(renewed)
        #expect(try await store.session(connectionId: id) == renewed)
    }

    @Test(arguments: StoreKind.all) func savingASessionForAnUnknownConnectionFails(_ kind: StoreKind) async throws {
        let (store, cleanUp) = try await kind.make()
        defer { cleanUp() }
        await #expect(throws: StoreError.self) { try await store.save(Fixtures.session(connectionId: "nope", sealedToken: "fsk1:k1:T")) }
    }

    @Test(arguments: StoreKind.all) func deleteSessionOnlyWhenTheTokenStillMatches(_ kind: StoreKind) async throws {
        let (empty, cleanUp) = try await kind.make()
        defer { cleanUp() }
        let (store, id) = try await storeWithConnection(empty)
        try await store.save(Fixtures.session(connectionId: id, sealedToken: "fsk1:k1:NEW"))
        try await store.deleteSession(connectionId: id, sealedToken: "fsk1:k1:OLD")
        #expect(try await store.session(connectionId: id)?.sealedToken == "fsk1:k1:NEW")
        try await store.deleteSession(connectionId: id, sealedToken: "fsk1:k1:NEW")
        #expect(try await store.session(connectionId: id) == nil)

        try await store.save(Fixtures.session(connectionId: id, sealedToken: "fsk1:k1:ANY"))
        try await store.deleteSession(connectionId: id, sealedToken: nil)
        #expect(try await store.session(connectionId: id) == nil)
    }

    @Test(arguments: StoreKind.all) func leaseIsExclusiveUntilExpiryRenewableAndReleasable(_ kind: StoreKind) async throws {
        let (store, cleanUp) = try await kind.make()
        defer { cleanUp() }
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

    @Test(arguments: StoreKind.all) func anExpiredLeaseCanBeTakenOver(_ kind: StoreKind) async throws {
        let (store, cleanUp) = try await kind.make()
        defer { cleanUp() }
        #expect(try await store.acquireLease("l", holder: "A", until: Fixtures.later(10_000), now: Fixtures.now))
        #expect(try await store.acquireLease("l", holder: "B", until: Fixtures.later(20_000), now: Fixtures.later(9_999)) == false)
        // expires_at <= now: expired exactly at its end.
        #expect(try await store.acquireLease("l", holder: "B", until: Fixtures.later(20_000), now: Fixtures.later(10_000)))
        #expect(try await store.acquireLease("l", holder: "A", until: Fixtures.later(30_000), now: Fixtures.later(15_000)) == false)
        // Leases are independent by name.
        #expect(try await store.acquireLease("other", holder: "A", until: Fixtures.later(30_000), now: Fixtures.later(15_000)))
    }
}
