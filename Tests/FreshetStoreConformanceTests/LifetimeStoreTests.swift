import Foundation
import Freshet
import Testing

/// Secret references, keep-alive settings and credential lifetimes (issue 20), on every store.
@Suite struct LifetimeStoreTests {
    @Test(arguments: StoreKind.all) func aConnectionWithAReferenceRoundTripsWithoutASealedSecret(_ kind: StoreKind) async throws {
        let (store, cleanUp) = try await kind.make()
        defer { cleanUp() }
        var connection = try Fixtures.patConnection()
        connection.secretReference = try SecretReference(parsing: "exec:/usr/bin/vault kv get 'tableau/prod pat'")
        connection.keepAliveDays = 7
        connection.expiryWarningDays = 21
        let stored = StoredConnection(connection: connection, sealedSecret: "")
        try await store.insert(stored)
        #expect(try await store.connection(named: "prod") == stored)
        // Resealing skips it; a later typed secret is sealed and the reference dropped.
        #expect(try await store.resealAll { _ in Issue.record("resealed an empty value"); return "" } == 0)
        connection.secretReference = nil
        connection.keepAliveDays = nil
        try await store.update(connection, sealedSecret: "fsk1:k1:AAAA")
        let read = try #require(try await store.connection(named: "prod"))
        #expect(read.connection.secretReference == nil && read.connection.keepAliveDays == nil && read.sealedSecret == "fsk1:k1:AAAA")
        #expect(try await store.sealingKeyIds() == ["k1"])
    }

    @Test(arguments: StoreKind.all) func lifetimesAreRecordedReplacedAndRemovedWithTheirConnection(_ kind: StoreKind) async throws {
        let (store, cleanUp) = try await kind.make()
        defer { cleanUp() }
        let connection = try Fixtures.patConnection()
        try await store.insert(StoredConnection(connection: connection, sealedSecret: "fsk1:k1:A"))
        #expect(try await store.credentialLifetime(connectionId: connection.id) == nil)
        try await store.recordSignIn(connectionId: connection.id, at: Fixtures.now, expiresAt: Fixtures.later(86_400_000))
        #expect(try await store.credentialLifetime(connectionId: connection.id)
            == CredentialLifetime(connectionId: connection.id, expiresAt: Fixtures.later(86_400_000), lastUsedAt: Fixtures.now))
        try await store.recordSignIn(connectionId: connection.id, at: Fixtures.later(5000), expiresAt: nil)
        #expect(try await store.credentialLifetimes()
            == [CredentialLifetime(connectionId: connection.id, expiresAt: nil, lastUsedAt: Fixtures.later(5000))])
        // Nothing is recorded for a connection that does not exist, and removal takes the record along.
        try await store.recordSignIn(connectionId: "gone", at: Fixtures.now, expiresAt: nil)
        _ = try await store.delete(id: connection.id)
        #expect(try await store.credentialLifetimes().isEmpty)
    }
}
