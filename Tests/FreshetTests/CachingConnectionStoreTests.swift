import Foundation
import Synchronization
import Testing

@testable import Freshet

@Suite struct CachingConnectionStoreTests {
    final class Now: Sendable {
        let time = Mutex(Date(timeIntervalSince1970: 1_800_000_000))
        func advance(_ seconds: Double) { time.withLock { $0 = $0.addingTimeInterval(seconds) } }
        var now: Date { time.withLock { $0 } }
    }

    func connection(_ name: String, site: String = "") throws -> Connection {
        Connection(name: name, server: try ServerURL(parsing: "https://tableau.example.com"), siteContentUrl: site, auth: .personalAccessToken(name: "p"))
    }

    @Test func aReadConnectionIsUsedForItsLifetimeThenReadAgain() async throws {
        let base = InMemoryStore()
        let clock = Now()
        let cache = CachingConnectionStore(base, lifetime: 1, now: { clock.now })
        var prod = try connection("prod")
        try await base.insert(StoredConnection(connection: prod, sealedSecret: ""))
        #expect(try await cache.connection(named: "prod")?.connection.siteContentUrl == "")
        // Another process edits it: not seen within the lifetime, seen after it.
        prod.siteContentUrl = "finance"
        try await base.update(prod, sealedSecret: nil)
        clock.advance(0.5)
        #expect(try await cache.connection(named: "prod")?.connection.siteContentUrl == "")
        #expect(try await cache.connection(id: prod.id)?.connection.siteContentUrl == "")
        clock.advance(0.6)
        #expect(try await cache.connection(named: "prod")?.connection.siteContentUrl == "finance")
    }

    @Test func writesThroughTheCacheAreSeenAtOnce() async throws {
        let base = InMemoryStore()
        let cache = CachingConnectionStore(base, lifetime: 3600, now: { Date(timeIntervalSince1970: 1_800_000_000) })
        var prod = try connection("prod")
        try await cache.insert(StoredConnection(connection: prod, sealedSecret: ""))
        #expect(try await cache.connection(id: prod.id)?.connection.name == "prod")
        prod.name = "production"
        try await cache.update(prod, sealedSecret: nil)
        #expect(try await cache.connection(named: "prod") == nil)
        #expect(try await cache.connection(id: prod.id)?.connection.name == "production")
        #expect(try await cache.delete(id: prod.id))
        #expect(try await cache.connection(id: prod.id) == nil)
        #expect(try await cache.connection(named: "production") == nil)
    }

    @Test func aRenamedConnectionIsNotFoundByItsOldNameFromTheCache() async throws {
        let base = InMemoryStore()
        let cache = CachingConnectionStore(base, lifetime: 3600, now: { Date(timeIntervalSince1970: 1_800_000_000) })
        var prod = try connection("prod")
        try await base.insert(StoredConnection(connection: prod, sealedSecret: ""))
        _ = try await cache.connection(named: "prod")
        // Renamed elsewhere, then read by id here: the old name must not answer with the new row.
        prod.name = "production"
        try await base.update(prod, sealedSecret: nil)
        cache.forget()
        #expect(try await cache.connection(id: prod.id)?.connection.name == "production")
        #expect(try await cache.connection(named: "prod") == nil)
    }
}
