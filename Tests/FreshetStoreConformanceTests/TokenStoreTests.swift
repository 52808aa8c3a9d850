import Foundation
import Freshet
import FreshetSQLite
import Testing

@Suite struct TokenStoreTests {
    func token(_ name: String, secret: String = TokenSecret.generate()) -> APIToken {
        APIToken(
            name: name, hash: TokenSecret.hash(secret), hint: TokenSecret.hint(secret), scopes: [.refresh, .auditRead],
            allowList: TokenAllowList(connections: [GlobPattern("prod")], projects: [GlobPattern("Fin*")], workbooks: [GlobPattern("wb-1")]),
            createdAt: Fixtures.now, createdBy: "cli:ann", expiresAt: Fixtures.later(60_000))
    }

    @Test(arguments: StoreKind.all) func roundTripsByHashIdAndName(_ kind: StoreKind) async throws {
        let (store, cleanUp) = try await kind.make()
        defer { cleanUp() }
        let secret = TokenSecret.generate()
        let written = token("airflow", secret: secret)
        try await store.insertToken(written)
        #expect(try await store.token(hash: TokenSecret.hash(secret)) == written)
        #expect(try await store.token(idOrName: written.id) == written)
        #expect(try await store.token(idOrName: "airflow") == written)
        #expect(try await store.token(hash: TokenSecret.hash("fsh_other")) == nil)
        #expect(try await store.tokenCount() == 1)
    }

    @Test(arguments: StoreKind.all) func namesAreUniqueAndListedInOrder(_ kind: StoreKind) async throws {
        let (store, cleanUp) = try await kind.make()
        defer { cleanUp() }
        try await store.insertToken(token("zeta"))
        try await store.insertToken(token("alpha"))
        await #expect(throws: StoreError.self) { try await store.insertToken(token("alpha")) }
        #expect(try await store.tokens().map(\.name) == ["alpha", "zeta"])
    }

    @Test(arguments: StoreKind.all) func revocationHappensOnce(_ kind: StoreKind) async throws {
        let (store, cleanUp) = try await kind.make()
        defer { cleanUp() }
        let written = token("ci")
        try await store.insertToken(written)
        #expect(try await store.revokeToken(id: written.id, at: Fixtures.later(1000)))
        #expect(try await !store.revokeToken(id: written.id, at: Fixtures.later(2000)))
        #expect(try await store.token(idOrName: "ci")?.revokedAt == Fixtures.later(1000))
        #expect(try await !store.revokeToken(id: "missing", at: Fixtures.now))
    }

    @Test(arguments: StoreKind.shared) func theDatabaseHoldsOnlyTheHash(_ kind: StoreKind) async throws {
        let (store, cleanUp) = try await kind.make()
        defer { cleanUp() }
        let secret = TokenSecret.generate()
        try await store.insertToken(token("hashed", secret: secret))
        let dump = try await RawSQL.rows("SELECT * FROM api_tokens", in: store).joined()
        #expect(!dump.contains(secret))
        #expect(!dump.contains(String(secret.dropFirst(8))))
        #expect(dump.contains(TokenSecret.hash(secret)))
    }
}
