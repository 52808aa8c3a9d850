import Synchronization
import Foundation
import Freshet
import Testing

@Suite struct ResealTests {
    /// A store with two connections and one session, all sealed by `keyring`.
    /// Returns the store and the id of the connection that has the session.
    private func sealedStore(_ keyring: Keyring, in store: any ConformingStore) async throws -> (any ConformingStore, String) {
        let first = try Fixtures.patConnection(name: "first")
        let second = try Fixtures.appConnection(name: "second")
        try await store.insert(StoredConnection(connection: first, sealedSecret: try keyring.seal("pat-secret-one")))
        try await store.insert(StoredConnection(connection: second, sealedSecret: try keyring.seal("app-secret-two")))
        try await store.save(Fixtures.session(connectionId: first.id, sealedToken: try keyring.seal("session-token-three")))
        return (store, first.id)
    }

    @Test(arguments: StoreKind.all) func resealAllAfterRotationMovesEverythingToTheNewKey(_ kind: StoreKind) async throws {
        let (empty, cleanUp) = try await kind.make()
        defer { cleanUp() }
        let oldKey = MasterKey.generate()
        var keyring = Keyring(current: oldKey)
        let (store, sessionId) = try await sealedStore(keyring, in: empty)
        #expect(try await store.sealingKeyIds() == [oldKey.id])

        let newKey = MasterKey.generate()
        keyring.rotate(to: newKey)
        let rotated = keyring
        let count = try await store.resealAll { try rotated.reseal($0) }
        #expect(count == 3)
        #expect(try await store.sealingKeyIds() == [newKey.id])

        let first = try #require(try await store.connection(named: "first"))
        let second = try #require(try await store.connection(named: "second"))
        let session = try #require(try await store.session(connectionId: sessionId))
        for sealed in [first.sealedSecret, second.sealedSecret, session.sealedToken] {
            #expect(Keyring.keyId(of: sealed) == newKey.id)
        }
        let newOnly = Keyring(current: newKey)
        #expect(try newOnly.open(first.sealedSecret) == "pat-secret-one")
        #expect(try newOnly.open(second.sealedSecret) == "app-secret-two")
        #expect(try newOnly.open(session.sealedToken) == "session-token-three")
    }

    @Test(arguments: StoreKind.all) func anInterruptedResealChangesNothing(_ kind: StoreKind) async throws {
        let (empty, cleanUp) = try await kind.make()
        defer { cleanUp() }
        let oldKey = MasterKey.generate()
        var keyring = Keyring(current: oldKey)
        let (store, sessionId) = try await sealedStore(keyring, in: empty)
        let before = try await store.connections().map(\.sealedSecret)
        let sessionBefore = try await store.session(connectionId: sessionId)?.sealedToken

        keyring.rotate(to: MasterKey.generate())
        let rotated = keyring
        let calls = Counter()
        struct Interrupted: Error {}
        await #expect(throws: Interrupted.self) {
            try await store.resealAll { sealed in
                guard calls.next() < 1 else { throw Interrupted() }
                return try rotated.reseal(sealed)
            }
        }
        #expect(calls.value == 2)
        #expect(try await store.connections().map(\.sealedSecret) == before)
        #expect(try await store.session(connectionId: sessionId)?.sealedToken == sessionBefore)
        #expect(try await store.sealingKeyIds() == [oldKey.id])
    }
}

/// A thread-safe call counter for `@Sendable` closures.
final class Counter: Sendable {
    private let count = Mutex(0)

    /// Increments and returns the count before the increment.
    func next() -> Int { count.withLock { value in defer { value += 1 }; return value } }

    var value: Int { count.withLock { $0 } }
}
