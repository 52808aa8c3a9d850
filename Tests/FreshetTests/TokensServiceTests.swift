import Foundation
import Synchronization
import Freshet
import Testing

@Suite struct TokensServiceTests {
    @Test func tokensAreShownOnceAndStoredOnlyAsHashes() async throws {
        let store = InMemoryStore()
        let service = TokenService(store: store, audit: store)
        let (token, secret) = try await service.create(name: "airflow", scopes: [.refresh, .read], allowList: .everything, actor: "cli:ann")
        #expect(secret.hasPrefix("fsh_") && secret.count == 47)
        #expect(token.hash == TokenSecret.hash(secret) && token.hash.count == 64 && !token.hash.contains(secret))
        #expect(token.hint == String(secret.prefix(8)))
        let stored = try #require(await store.token(idOrName: "airflow"))
        #expect(stored == token)
        #expect(try await service.authenticate(secret) == token)
        let listed = try await service.list()
        #expect(listed.map(\.name) == ["airflow"])
        let encoded = String(decoding: try JSONEncoder().encode(listed), as: UTF8.self)
        #expect(!encoded.contains(secret) && !encoded.contains(token.hash))
        let audit = await store.events(AuditQuery(action: "token."))
        #expect(audit.map(\.action) == ["token.created"])
        #expect(!audit.description.contains(secret))
    }

    @Test func authenticationRefusesUnknownRevokedAndExpiredTokens() async throws {
        let store = InMemoryStore()
        let clock = Clock()
        let service = TokenService(store: store, audit: store, now: { clock.now })
        let (_, secret) = try await service.create(name: "short", scopes: [.read], expiresAt: clock.now.addingTimeInterval(60), actor: "t")
        await #expect(throws: AuthenticationFailure.unknown) { try await service.authenticate("fsh_nope") }
        await #expect(throws: AuthenticationFailure.unknown) { try await service.authenticate("not-a-token") }
        await #expect(throws: AuthenticationFailure.missing) { try await service.authenticate("") }
        clock.now = clock.now.addingTimeInterval(60)
        await #expect(throws: AuthenticationFailure.expired) { try await service.authenticate(secret) }
        let (_, other) = try await service.create(name: "other", scopes: [.read], actor: "t")
        let revoked = try await service.revoke("other", actor: "t")
        #expect(revoked.revokedAt != nil)
        await #expect(throws: AuthenticationFailure.revoked) { try await service.authenticate(other) }
        #expect(await store.events(AuditQuery(action: "token.revoked")).count == 1)
    }

    @Test func creationValidatesNameScopesAndExpiry() async throws {
        let store = InMemoryStore()
        let service = TokenService(store: store, audit: store)
        await #expect(throws: ValidationError.self) { try await service.create(name: " ", scopes: [.read], actor: "t") }
        await #expect(throws: ValidationError.self) { try await service.create(name: "none", scopes: [], actor: "t") }
        await #expect(throws: ValidationError.self) {
            try await service.create(name: "past", scopes: [.read], expiresAt: Date(timeIntervalSinceNow: -1), actor: "t")
        }
        _ = try await service.create(name: "dup", scopes: [.read], actor: "t")
        await #expect(throws: ValidationError.self) { try await service.create(name: "dup", scopes: [.read], actor: "t") }
    }

    @Test func theInitialAdminTokenIsCreatedOnlyWhenThereIsNone() async throws {
        let store = InMemoryStore()
        let service = TokenService(store: store, audit: store)
        let first = try #require(try await service.createInitialAdminIfNone())
        #expect(first.token.isAdmin && first.token.name == "admin")
        #expect(try await service.createInitialAdminIfNone()?.token == nil)
    }

    @Test func expiryDurations() {
        #expect(TokenExpiry.seconds("30d") == 2_592_000)
        #expect(TokenExpiry.seconds("12h") == 43_200)
        #expect(TokenExpiry.seconds("90m") == 5400)
        #expect(TokenExpiry.seconds("2w") == 1_209_600)
        #expect(TokenExpiry.seconds("0d") == nil && TokenExpiry.seconds("d") == nil && TokenExpiry.seconds("3y") == nil)
    }
}

/// A settable clock for tests.
private final class Clock: Sendable {
    private let value = Mutex(Date(timeIntervalSince1970: 1_750_000_000))
    var now: Date {
        get { value.withLock { $0 } }
        set { value.withLock { $0 = newValue } }
    }
}
