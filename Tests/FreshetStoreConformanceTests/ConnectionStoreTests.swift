import Foundation
import Freshet
import FreshetSQLite
import Testing

@Suite struct ConnectionStoreTests {
    @Test(arguments: StoreKind.all) func patConnectionRoundTrips(_ kind: StoreKind) async throws {
        let (store, cleanUp) = try await kind.make()
        defer { cleanUp() }
        let stored = StoredConnection(connection: try Fixtures.patConnection(), sealedSecret: "fsk1:k1:AAAA")
        try await store.insert(stored)
        #expect(try await store.connection(named: "prod") == stored)
        #expect(try await store.connection(id: stored.connection.id) == stored)
        #expect(try await store.connection(named: "other") == nil)
        #expect(try await store.connection(id: "missing") == nil)
    }

    @Test(arguments: StoreKind.all) func connectedAppConnectionRoundTrips(_ kind: StoreKind) async throws {
        let (store, cleanUp) = try await kind.make()
        defer { cleanUp() }
        let stored = StoredConnection(connection: try Fixtures.appConnection(), sealedSecret: "fsk1:k1:BBBB")
        try await store.insert(stored)
        let read = try #require(try await store.connection(id: stored.connection.id))
        #expect(read == stored)
        #expect(read.connection.server.usesHTTP)
        #expect(read.connection.apiVersionPin == "3.19")
    }

    @Test(arguments: StoreKind.all) func listsConnectionsByName(_ kind: StoreKind) async throws {
        let (store, cleanUp) = try await kind.make()
        defer { cleanUp() }
        for name in ["zeta", "alpha", "mid"] {
            try await store.insert(StoredConnection(connection: try Fixtures.patConnection(name: name), sealedSecret: "fsk1:k1:\(name)"))
        }
        #expect(try await store.connections().map(\.connection.name) == ["alpha", "mid", "zeta"])
    }

    @Test(arguments: StoreKind.all) func refusesDuplicateNames(_ kind: StoreKind) async throws {
        let (store, cleanUp) = try await kind.make()
        defer { cleanUp() }
        try await store.insert(StoredConnection(connection: try Fixtures.patConnection(), sealedSecret: "fsk1:k1:A"))
        await #expect(throws: StoreError.duplicateName("prod")) {
            try await store.insert(StoredConnection(connection: try Fixtures.patConnection(), sealedSecret: "fsk1:k1:B"))
        }
        let other = try Fixtures.patConnection(name: "test")
        try await store.insert(StoredConnection(connection: other, sealedSecret: "fsk1:k1:C"))
        var renamed = other
        renamed.name = "prod"
        await #expect(throws: StoreError.duplicateName("prod")) { try await store.update(renamed, sealedSecret: nil) }
        #expect(try await store.connections().count == 2)
    }

    @Test(arguments: StoreKind.all) func updateWithoutSecretKeepsTheSealedSecret(_ kind: StoreKind) async throws {
        let (store, cleanUp) = try await kind.make()
        defer { cleanUp() }
        let original = try Fixtures.patConnection()
        try await store.insert(StoredConnection(connection: original, sealedSecret: "fsk1:k1:OLD"))
        var edited = original
        edited.siteContentUrl = ""
        edited.auth = .personalAccessToken(name: "renamed-pat")
        edited.updatedAt = Fixtures.later(60_000)
        try await store.update(edited, sealedSecret: nil)
        let read = try #require(try await store.connection(id: original.id))
        #expect(read.connection == edited)
        #expect(read.connection.displayName == "tableau.example.com · Default site")
        #expect(read.sealedSecret == "fsk1:k1:OLD")
    }

    @Test(arguments: StoreKind.all) func updateWithSecretReplacesIt(_ kind: StoreKind) async throws {
        let (store, cleanUp) = try await kind.make()
        defer { cleanUp() }
        let original = try Fixtures.patConnection()
        try await store.insert(StoredConnection(connection: original, sealedSecret: "fsk1:k1:OLD"))
        try await store.update(original, sealedSecret: "fsk1:k1:NEW")
        #expect(try await store.connection(named: "prod")?.sealedSecret == "fsk1:k1:NEW")
    }

    @Test(arguments: StoreKind.all) func updateOfAMissingConnectionThrowsNotFound(_ kind: StoreKind) async throws {
        let (store, cleanUp) = try await kind.make()
        defer { cleanUp() }
        await #expect(throws: StoreError.notFound("prod")) { try await store.update(try Fixtures.patConnection(), sealedSecret: nil) }
    }

    @Test(arguments: StoreKind.all) func deleteRemovesTheConnectionAndCascadesToItsSession(_ kind: StoreKind) async throws {
        let (store, cleanUp) = try await kind.make()
        defer { cleanUp() }
        let connection = try Fixtures.patConnection()
        let kept = try Fixtures.patConnection(name: "kept")
        try await store.insert(StoredConnection(connection: connection, sealedSecret: "fsk1:k1:A"))
        try await store.insert(StoredConnection(connection: kept, sealedSecret: "fsk1:k1:B"))
        try await store.save(Fixtures.session(connectionId: connection.id, sealedToken: "fsk1:k1:T1"))
        try await store.save(Fixtures.session(connectionId: kept.id, sealedToken: "fsk1:k1:T2"))
        #expect(try await store.delete(id: connection.id))
        #expect(try await store.connection(id: connection.id) == nil)
        #expect(try await store.session(connectionId: connection.id) == nil)
        #expect(try await store.session(connectionId: kept.id) != nil)
        #expect(try await store.delete(id: connection.id) == false)
    }
}
