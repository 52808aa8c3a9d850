import Foundation
import Freshet
import Testing

/// Site holds Tableau asked for are shared by every process: the longest wins, expired ones are
/// not answered, and they go with their connection.
@Suite struct SiteHoldStoreTests {
    @Test(arguments: StoreKind.all)
    func theLongestHoldLastsUntilItEnds(_ kind: StoreKind) async throws {
        let (store, cleanUp) = try await kind.make()
        defer { cleanUp() }
        let connection = try Fixtures.patConnection()
        try await store.insert(StoredConnection(connection: connection, sealedSecret: "fsk1:test:sealed"))
        #expect(try await store.siteHold(connectionId: connection.id, now: Fixtures.now) == nil)
        let hold = SiteHold(connectionId: connection.id, until: Fixtures.later(120_000), reason: "HTTP 429: retry after 2 minutes")
        try await store.holdSite(hold)
        try await store.holdSite(SiteHold(connectionId: connection.id, until: Fixtures.later(60_000), reason: "shorter"))
        #expect(try await store.siteHold(connectionId: connection.id, now: Fixtures.now) == hold)
        #expect(try await store.siteHold(connectionId: connection.id, now: Fixtures.later(120_000)) == nil)
        let longer = SiteHold(connectionId: connection.id, until: Fixtures.later(600_000), reason: "quota")
        try await store.holdSite(longer)
        #expect(try await store.siteHold(connectionId: connection.id, now: Fixtures.later(130_000)) == longer)
    }
}
