import Foundation
import Freshet
import FreshetSQLite
import GRDB
import Testing

@Suite struct TokenStoreTests {
    func token(_ name: String, secret: String = TokenSecret.generate()) -> APIToken {
        APIToken(
            name: name, hash: TokenSecret.hash(secret), hint: TokenSecret.hint(secret), scopes: [.refresh, .auditRead],
            allowList: TokenAllowList(connections: [GlobPattern("prod")], projects: [GlobPattern("Fin*")], workbooks: [GlobPattern("wb-1")]),
            createdAt: Fixtures.now, createdBy: "cli:ann", expiresAt: Fixtures.later(60_000))
    }

    @Test func roundTripsByHashIdAndName() async throws {
        let store = try Fixtures.memoryStore()
        let secret = TokenSecret.generate()
        let written = token("airflow", secret: secret)
        try await store.insertToken(written)
        #expect(try await store.token(hash: TokenSecret.hash(secret)) == written)
        #expect(try await store.token(idOrName: written.id) == written)
        #expect(try await store.token(idOrName: "airflow") == written)
        #expect(try await store.token(hash: TokenSecret.hash("fsh_other")) == nil)
        #expect(try await store.tokenCount() == 1)
    }

    @Test func namesAreUniqueAndListedInOrder() async throws {
        let store = try Fixtures.memoryStore()
        try await store.insertToken(token("zeta"))
        try await store.insertToken(token("alpha"))
        await #expect(throws: StoreError.self) { try await store.insertToken(token("alpha")) }
        #expect(try await store.tokens().map(\.name) == ["alpha", "zeta"])
    }

    @Test func revocationHappensOnce() async throws {
        let store = try Fixtures.memoryStore()
        let written = token("ci")
        try await store.insertToken(written)
        #expect(try await store.revokeToken(id: written.id, at: Fixtures.later(1000)))
        #expect(try await !store.revokeToken(id: written.id, at: Fixtures.later(2000)))
        #expect(try await store.token(idOrName: "ci")?.revokedAt == Fixtures.later(1000))
        #expect(try await !store.revokeToken(id: "missing", at: Fixtures.now))
    }

    @Test func theDatabaseHoldsOnlyTheHash() async throws {
        let store = try Fixtures.memoryStore()
        let secret = TokenSecret.generate()
        try await store.insertToken(token("hashed", secret: secret))
        let dump = try await store.database.writer.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM api_tokens").map(\.description).joined()
        }
        #expect(!dump.contains(secret))
        #expect(!dump.contains(String(secret.dropFirst(8))))
        #expect(dump.contains(TokenSecret.hash(secret)))
    }

    @Test func migrationV4IsRegistered() {
        #expect(SQLiteDatabase.knownMigrations.contains("v4_api_tokens"))
    }
}
