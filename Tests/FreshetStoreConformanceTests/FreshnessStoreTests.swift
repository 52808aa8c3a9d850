import Foundation
import Freshet
import FreshetSQLite
import Testing

/// Freshness records and policies on both stores: written with the run's terminal transition,
/// the stale mark compare-and-set, policies by scope, all kept across a reopen.
@Suite struct FreshnessStoreTests {
    /// A run of Sales that is not retried (one Tableau failure fails it).
    static func run(_ id: String, createdAt: Date = Fixtures.now) -> Run {
        Run(id: id, connectionId: "conn-1", target: "datasource Sales", item: RunStoreFixtures.sales, actor: "cli:ana", createdAt: createdAt)
    }

    @Test(arguments: StoreKind.freshnessKinds)
    func theTerminalTransitionWritesTheItemsFreshness(_ kind: StoreKind) async throws {
        let (store, cleanUp) = try await kind.makeFreshnessStore()
        defer { cleanUp() }
        var run = Self.run("r1")
        run.projectName = "Finance"
        _ = try await store.create(run, joiningActive: true)
        try await RunStoreFixtures.drive(store, run, [.start, .jobQueued(jobId: "j1")])
        #expect(try await store.freshness(FreshnessQuery()).isEmpty)
        try await RunStoreFixtures.drive(store, try #require(try await store.run(id: "r1")), [.jobFailed(notes: "Login failed")], at: Fixtures.later(2000))
        var record = try #require(try await store.freshness(FreshnessQuery()).first)
        #expect(record.lastFailureAt == Fixtures.later(2000) && record.lastFailureRunId == "r1" && record.lastFailureReason == "Login failed")
        #expect(record.lastSuccessAt == nil && record.projectName == "Finance" && record.item == RunStoreFixtures.sales)

        let second = Self.run("r2", createdAt: Fixtures.later(3000))
        _ = try await store.create(second, joiningActive: true)
        try await RunStoreFixtures.drive(store, second, [.start, .jobQueued(jobId: "j2"), .jobSucceeded], at: Fixtures.later(4000))
        record = try #require(try await store.freshness(FreshnessQuery()).first)
        #expect(record.lastSuccessAt == Fixtures.later(4000) && record.lastSuccessRunId == "r2")
        #expect(record.lastFailureRunId == "r1" && record.projectName == "Finance")  // a run without a project keeps the known one
        #expect(try await store.freshness(FreshnessQuery(connectionId: "conn-2")).isEmpty)
        #expect(try await store.freshness(FreshnessQuery(projectName: "Finance")).count == 1)
        #expect(try await store.freshness(FreshnessQuery(projectName: "Marketing")).isEmpty)
    }

    @Test(arguments: StoreKind.freshnessKinds)
    func theStaleMarkIsCompareAndSet(_ kind: StoreKind) async throws {
        let (store, cleanUp) = try await kind.makeFreshnessStore()
        defer { cleanUp() }
        let run = RunStoreFixtures.run("r1")
        _ = try await store.create(run, joiningActive: true)
        try await RunStoreFixtures.drive(store, run, [.cancelRequested])
        let key = try #require(try await store.freshness(FreshnessQuery()).first).key
        #expect(try await store.markStale(key, staleSince: Fixtures.later(5000), expected: nil, now: Fixtures.later(5000), alert: nil))
        #expect(!(try await store.markStale(key, staleSince: Fixtures.later(6000), expected: nil, now: Fixtures.later(6000), alert: nil)))
        #expect(try await store.freshness(FreshnessQuery()).first?.staleSince == Fixtures.later(5000))
        #expect(try await store.markStale(key, staleSince: nil, expected: Fixtures.later(5000), now: Fixtures.later(7000), alert: nil))
        #expect(try await store.freshness(FreshnessQuery()).first?.staleSince == nil)
        let unknown = FreshnessKey(connectionId: "conn-1", contentType: .workbook, tableauId: "nope")
        #expect(!(try await store.markStale(unknown, staleSince: Fixtures.now, expected: nil, now: Fixtures.now, alert: nil)))
    }

    @Test(arguments: StoreKind.freshnessKinds)
    func policiesAreKeptPerScope(_ kind: StoreKind) async throws {
        let (store, cleanUp) = try await kind.makeFreshnessStore()
        defer { cleanUp() }
        let item = FreshnessKey(connectionId: "conn-1", contentType: .workbook, tableauId: "wb-1")
        let policies = [
            FreshnessPolicy(scope: .connection(connectionId: "conn-1"), maxAgeSeconds: 86_400, setBy: "cli:ana", setAt: Fixtures.now),
            FreshnessPolicy(scope: .project(connectionId: "conn-1", name: "Finance"), maxAgeSeconds: 3600, setBy: "cli:ana", setAt: Fixtures.now),
            FreshnessPolicy(scope: .item(item), maxAgeSeconds: 600, itemName: "Board", setBy: "token:ops", setAt: Fixtures.later(1)),
        ]
        for policy in policies { try await store.setFreshnessPolicy(policy) }
        #expect(try await store.freshnessPolicies().sorted { $0.scope.id < $1.scope.id } == policies.sorted { $0.scope.id < $1.scope.id })
        var replaced = policies[1]
        replaced.maxAgeSeconds = 1800
        try await store.setFreshnessPolicy(replaced)
        #expect(try await store.freshnessPolicies().count == 3)
        #expect(try await store.freshnessPolicies().first { $0.scope == replaced.scope }?.maxAgeSeconds == 1800)
        #expect(try await store.removeFreshnessPolicy(.item(item)))
        #expect(!(try await store.removeFreshnessPolicy(.item(item))))
        #expect(try await store.freshnessPolicies().count == 2)
    }

    @Test func freshnessOutlivesAReopenOfTheDatabase() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        var database = try SQLiteDatabase(path: directory.databasePath)
        var store = SQLiteStore(database: database)
        let run = RunStoreFixtures.run("r1")
        _ = try await store.create(run, joiningActive: true)
        try await RunStoreFixtures.drive(store, run, [.start, .jobQueued(jobId: "j1"), .jobSucceeded])
        try database.close()
        database = try SQLiteDatabase(path: directory.databasePath)
        store = SQLiteStore(database: database)
        #expect(try await store.freshness(FreshnessQuery()).first?.lastSuccessRunId == "r1")
        try database.close()
    }
}

/// The stores of issue 17 (freshness, alerts, pipeline events, warnings).
typealias FreshnessConformingStore = ConformingStore & FreshnessStore & AlertStore & PipelineEventStore & QualityWarningStore

extension StoreKind {
    /// The kinds that implement the stores of issue 17 (all of them).
    static var freshnessKinds: [StoreKind] { all }

    /// A fresh store of this kind with the stores of issue 17.
    func makeFreshnessStore() async throws -> (store: any FreshnessConformingStore, cleanUp: @Sendable () -> Void) {
        let (store, cleanUp) = try await make()
        guard let full = store as? any FreshnessConformingStore else {
            cleanUp()
            throw StoreError("\(type(of: store)) does not implement the freshness stores")
        }
        return (full, cleanUp)
    }
}
