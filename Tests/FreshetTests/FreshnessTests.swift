import Foundation
import Freshet
import Testing

/// Freshness per item: recorded by the store as runs end, evaluated under policies, and stale
/// transitions found by the monitor on a manual clock.
struct FreshnessTests {
    static let connection = "conn-1"

    /// Stores a run of `item` and ends it in `state` at `at` (as the engine's last transition would).
    static func end(_ store: InMemoryStore, _ item: RunItem, _ state: RunState, notes: String? = nil, project: String? = "Finance", at: Date) async throws -> Run {
        let run = Run(connectionId: connection, target: "datasource \(item.name)", item: item, projectName: project, actor: "test", createdAt: at)
        _ = try await store.create(run, joiningActive: false)
        var ended = run
        ended.state = state
        ended.notes = notes
        return try #require(try await store.transition(ended, expectedVersion: 0, now: at))
    }

    static let sales = RunItem(contentType: .datasource, tableauId: "ds-1", name: "Sales")
    static let board = RunItem(contentType: .workbook, tableauId: "wb-1", name: "Board")

    @Test func aRunThatEndsUpdatesItsItemInTheSameWrite() async throws {
        let store = InMemoryStore()
        let t0 = Date(timeIntervalSince1970: 1_800_000_000)
        let success = try await Self.end(store, Self.sales, .succeeded, at: t0)
        var records = await store.freshness(FreshnessQuery())
        #expect(records.count == 1)
        #expect(records[0].lastSuccessAt == t0 && records[0].lastSuccessRunId == success.id && records[0].lastFailureAt == nil)
        #expect(FreshnessStatus(records[0], policies: [], now: t0.addingTimeInterval(60)).ageSeconds == 60)
        #expect(!FreshnessStatus(records[0], policies: [], now: t0).isStale)

        let failure = try await Self.end(store, Self.sales, .failed, notes: "Login failed for user 'etl'.", at: t0.addingTimeInterval(100))
        records = await store.freshness(FreshnessQuery())
        #expect(records[0].lastSuccessAt == t0 && records[0].lastFailureRunId == failure.id)
        #expect(records[0].lastFailureReason == "Login failed for user 'etl'.")
        #expect(FreshnessStatus(records[0], policies: [], now: t0.addingTimeInterval(200)).staleReason == .refreshFailed)

        _ = try await Self.end(store, Self.sales, .cancelled, at: t0.addingTimeInterval(300))
        #expect(await store.freshness(FreshnessQuery())[0].lastFailureRunId == failure.id)
        _ = try await Self.end(store, Self.sales, .succeeded, at: t0.addingTimeInterval(400))
        #expect(!FreshnessStatus(await store.freshness(FreshnessQuery())[0], policies: [], now: t0.addingTimeInterval(400)).isStale)
    }

    @Test func aTimedOutRunIsAFailureAndANonTerminalWriteChangesNothing() async throws {
        let store = InMemoryStore()
        let t0 = Date(timeIntervalSince1970: 1_800_000_000)
        let run = Run(connectionId: Self.connection, target: "workbook Board", item: Self.board, actor: "test", createdAt: t0)
        _ = try await store.create(run, joiningActive: false)
        var triggering = run
        triggering.state = .triggering
        _ = try await store.transition(triggering, expectedVersion: 0, now: t0)
        #expect(await store.freshness(FreshnessQuery()).isEmpty)
        var timedOut = triggering
        timedOut.state = .timedOut
        _ = try await store.transition(timedOut, expectedVersion: 1, now: t0.addingTimeInterval(5))
        let record = try #require(await store.freshness(FreshnessQuery()).first)
        #expect(record.lastFailureReason == "The refresh timed out")
        #expect(FreshnessStatus(record, policies: [], now: t0).staleReason == .neverSucceeded)
    }

    @Test func theMostSpecificPolicyGoverns() throws {
        let t0 = Date(timeIntervalSince1970: 1_800_000_000)
        var record = ItemFreshness(connectionId: Self.connection, item: Self.sales, projectName: "Finance", updatedAt: t0)
        record.lastSuccessAt = t0
        let connectionPolicy = FreshnessPolicy(scope: .connection(connectionId: Self.connection), maxAgeSeconds: 7200, setBy: "t", setAt: t0)
        let projectPolicy = FreshnessPolicy(scope: .project(connectionId: Self.connection, name: "Finance"), maxAgeSeconds: 600, setBy: "t", setAt: t0)
        let itemPolicy = FreshnessPolicy(scope: .item(record.key), maxAgeSeconds: 3600, setBy: "t", setAt: t0)
        let otherProject = FreshnessPolicy(scope: .project(connectionId: Self.connection, name: "Marketing"), maxAgeSeconds: 1, setBy: "t", setAt: t0)
        let later = t0.addingTimeInterval(1800)
        #expect(FreshnessStatus(record, policies: [connectionPolicy, otherProject], now: later).policy == connectionPolicy)
        #expect(!FreshnessStatus(record, policies: [connectionPolicy, otherProject], now: later).isStale)
        #expect(FreshnessStatus(record, policies: [connectionPolicy, projectPolicy], now: later).staleReason == .tooOld)
        #expect(!FreshnessStatus(record, policies: [connectionPolicy, projectPolicy, itemPolicy], now: later).isStale)
        #expect(FreshnessStatus(record, policies: [itemPolicy], now: t0.addingTimeInterval(3601)).staleReason == .tooOld)
    }

    @Test func policiesFlipItemsToStaleOnAManualClockOnceAndBack() async throws {
        let store = InMemoryStore()
        let clock = ManualRunClock()
        let connection = Connection(
            id: Self.connection, name: "prod", server: try ServerURL(parsing: "tableau.example.com"), siteContentUrl: "",
            auth: .personalAccessToken(name: "freshet"))
        try await store.insert(StoredConnection(connection: connection, sealedSecret: "fsk1:test:sealed"))
        _ = try await Self.end(store, Self.sales, .succeeded, at: clock.now())
        let policies = FreshnessPolicyService(store: store, connections: store, audit: store, now: { clock.now() })
        try await policies.set(FreshnessPolicyTarget(connection: "prod", project: "Finance"), maxAgeSeconds: 3600, actor: "test")
        let monitor = FreshnessMonitor(store: store, audit: store, clock: clock)

        #expect(try await monitor.evaluate().isEmpty)
        clock.advance(by: .seconds(3599))
        #expect(try await monitor.evaluate().isEmpty)
        clock.advance(by: .seconds(2))
        let stale = try await monitor.evaluate()
        #expect(stale.count == 1 && stale[0].becameStale && stale[0].status.staleReason == .tooOld)
        #expect(try await monitor.evaluate().isEmpty)  // reported once
        #expect(await store.freshness(FreshnessQuery())[0].staleSince == clock.now())

        _ = try await Self.end(store, Self.sales, .succeeded, at: clock.now())
        let recovered = try await monitor.evaluate()
        #expect(recovered.count == 1 && !recovered[0].becameStale)
        let audit = await store.events(AuditQuery(action: "freshness."))
        #expect(audit.map(\.action) == ["freshness.recovered", "freshness.stale", "freshness.policySet"])
        #expect(audit[1].details["reason"] == "tooOld" && audit[1].details["maxAgeSeconds"] == "3600" && audit[1].details["project"] == "Finance")
    }

    @Test func policyTargetsAreCheckedAndItemsResolvedByNameOrId() async throws {
        let store = InMemoryStore()
        let t0 = Date(timeIntervalSince1970: 1_800_000_000)
        let connection = Connection(
            id: Self.connection, name: "prod", server: try ServerURL(parsing: "tableau.example.com"), siteContentUrl: "",
            auth: .personalAccessToken(name: "freshet"))
        try await store.insert(StoredConnection(connection: connection, sealedSecret: "fsk1:test:sealed"))
        _ = try await Self.end(store, Self.sales, .succeeded, at: t0)
        let service = FreshnessPolicyService(store: store, connections: store, audit: store, now: { t0 })
        let byName = try await service.set(FreshnessPolicyTarget(connection: "prod", itemType: "datasource", item: "Sales"), maxAgeSeconds: 60, actor: "t")
        #expect(byName.scope == .item(FreshnessKey(connectionId: Self.connection, contentType: .datasource, tableauId: "ds-1")) && byName.itemName == "Sales")
        let byId = try await service.set(FreshnessPolicyTarget(connection: "prod", itemType: "datasource", item: "ds-1"), maxAgeSeconds: 120, actor: "t")
        #expect(byId.scope == byName.scope)
        #expect(await store.freshnessPolicies().count == 1)
        await #expect(throws: FreshnessPolicyError.self) {
            try await service.set(FreshnessPolicyTarget(connection: "prod", itemType: "workbook", item: "Sales"), maxAgeSeconds: 60, actor: "t")
        }
        await #expect(throws: FreshnessPolicyError.self) { try await service.set(FreshnessPolicyTarget(connection: "nope"), maxAgeSeconds: 60, actor: "t") }
        await #expect(throws: FreshnessPolicyError.self) { try await service.set(FreshnessPolicyTarget(connection: "prod"), maxAgeSeconds: 0, actor: "t") }
        #expect(try await service.remove(FreshnessPolicyTarget(connection: "prod", itemType: "datasource", item: "Sales"), actor: "t"))
        #expect(!(try await service.remove(FreshnessPolicyTarget(connection: "prod", itemType: "datasource", item: "Sales"), actor: "t")))
        let replaced = try await service.replaceAll([(FreshnessPolicyTarget(connection: "prod"), 86_400), (FreshnessPolicyTarget(connection: "prod", project: "Finance"), 3600)], actor: "t")
        let stored = await store.freshnessPolicies()
        #expect(replaced.count == 2 && stored.count == 2)
        _ = try await service.replaceAll([(FreshnessPolicyTarget(connection: "prod"), 600)], actor: "t")
        #expect((await store.freshnessPolicies()).map(\.maxAgeSeconds) == [600])
    }

    @Test func runsDrivenByTheEngineAcrossACrashLeaveEveryItemFresh() async throws {
        let harness = try await EngineHarness.make()
        let (first, crashing) = harness.process("first", crashAt: 12)
        _ = try? await first.submit(harness.request(), actor: "pipeline")
        await harness.advance(until: { crashing.calls >= 12 }, limit: .seconds(60), engines: [first])
        await first.shutdown()
        harness.clock.advance(by: .seconds(31))  // the dead process's leases lapse
        let (second, _) = harness.process("second")
        _ = try await second.submit(harness.request(), actor: "pipeline")  // the pipeline retries with its key
        _ = try await second.recover()
        #expect(await harness.advance(until: { await harness.runs().allSatisfy(\.state.isTerminal) }, limit: .seconds(600), engines: [second]))
        await second.shutdown()
        let runs = await harness.runs()
        let records = await harness.database.freshness(FreshnessQuery())
        #expect(records.count == Set(runs.map(\.item.tableauId)).count)
        for record in records {
            let success = runs.filter { $0.item.tableauId == record.item.tableauId && $0.state == .succeeded }
            #expect(record.lastSuccessRunId != nil && success.map(\.id).contains(record.lastSuccessRunId!))
        }
    }
}
