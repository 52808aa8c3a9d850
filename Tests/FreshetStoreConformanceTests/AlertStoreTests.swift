import Foundation
import Freshet
import FreshetSQLite
import Testing

/// The alert outbox, pipeline events and warning records on both stores.
@Suite struct AlertStoreTests {
    static func route(_ name: String, connection: String? = nil, project: String? = nil, kinds: [String] = []) -> AlertRoute {
        AlertRoute(
            name: name, format: .webhook, sealedURL: "fsk1:k1:url-\(name)", urlHint: "https://example.com", sealedSecret: "fsk1:k1:secret-\(name)",
            connectionId: connection, project: project, kinds: kinds, createdAt: Fixtures.now, createdBy: "cli:ana")
    }

    static let event = AlertEvent(
        id: "run.r1", kind: AlertEvent.Kind.runFailed, occurredAt: Fixtures.now, connectionId: "conn-1", project: "Finance", item: RunStoreFixtures.sales,
        summary: "Refresh of data source Sales failed", reason: "Login failed", failureClass: "tableauJobFailed", runId: "r1", details: ["k": "v"])

    @Test(arguments: StoreKind.freshnessKinds)
    func enqueuingFansOutOncePerRouteAndClaimsAreLeased(_ kind: StoreKind) async throws {
        let (store, cleanUp) = try await kind.makeFreshnessStore()
        defer { cleanUp() }
        try await store.insertAlertRoute(Self.route("all"))
        try await store.insertAlertRoute(Self.route("finance", connection: "conn-1", project: "Finance"))
        try await store.insertAlertRoute(Self.route("other", connection: "conn-2"))
        try await store.insertAlertRoute(Self.route("stale", kinds: [AlertEvent.Kind.itemStale]))
        await #expect(throws: StoreError.self) { try await store.insertAlertRoute(Self.route("all")) }
        #expect(try await store.enqueueAlert(Self.event, now: Fixtures.now) == 2)
        #expect(try await store.enqueueAlert(Self.event, now: Fixtures.later(1)) == 0)
        let pending = try await store.alertDeliveries(AlertDeliveryQuery(status: .pending))
        #expect(pending.map(\.routeName).sorted() == ["all", "finance"] && pending.allSatisfy { $0.event == Self.event })

        let claimed = try await store.claimAlertDeliveries(holder: "p1", until: Fixtures.later(30_000), now: Fixtures.now, limit: 10)
        #expect(claimed.count == 2)
        #expect(try await store.claimAlertDeliveries(holder: "p2", until: Fixtures.later(60_000), now: Fixtures.later(1000), limit: 10).isEmpty)
        try await store.completeAlertDelivery(id: claimed[0].id, outcome: .delivered, now: Fixtures.later(2000))
        try await store.completeAlertDelivery(id: claimed[1].id, outcome: .retry(at: Fixtures.later(5000), error: "HTTP 503"), now: Fixtures.later(2000))
        #expect(try await store.claimAlertDeliveries(holder: "p2", until: Fixtures.later(60_000), now: Fixtures.later(4000), limit: 10).isEmpty)
        let retried = try await store.claimAlertDeliveries(holder: "p2", until: Fixtures.later(60_000), now: Fixtures.later(5000), limit: 10)
        #expect(retried.map(\.id) == [claimed[1].id] && retried[0].attempts == 1 && retried[0].lastError == "HTTP 503")
        // p2 dies; after its lease, p3 takes the delivery over.
        let takenOver = try await store.claimAlertDeliveries(holder: "p3", until: Fixtures.later(120_000), now: Fixtures.later(61_000), limit: 10)
        #expect(takenOver.map(\.id) == [claimed[1].id])
        try await store.completeAlertDelivery(id: claimed[1].id, outcome: .dead(error: "HTTP 404"), now: Fixtures.later(62_000))
        let delivered = try #require(try await store.alertDeliveries(AlertDeliveryQuery(status: .delivered)).first)
        #expect(delivered.deliveredAt == Fixtures.later(2000) && delivered.attempts == 1)
        #expect(try await store.alertDeliveries(AlertDeliveryQuery(status: .dead)).first?.attempts == 2)
        #expect(try await store.requeueAlertDelivery(id: claimed[1].id, now: Fixtures.later(70_000)))
        #expect(!(try await store.requeueAlertDelivery(id: claimed[0].id, now: Fixtures.later(70_000))))
        #expect(try await store.alertDeliveries(AlertDeliveryQuery(status: .pending)).first?.attempts == 0)
        #expect(try await store.alertDeliveries(AlertDeliveryQuery(eventId: "run.r1")).count == 2)
        // Removing a route dead-letters its pending deliveries.
        let requeued = try #require(try await store.alertDeliveries(AlertDeliveryQuery(status: .pending)).first)
        #expect(try await store.deleteAlertRoute(named: requeued.routeName))
        #expect(try await store.alertDeliveries(AlertDeliveryQuery(status: .dead)).first?.lastError == "The route was removed")
        #expect(!(try await store.deleteAlertRoute(named: requeued.routeName)))
    }

    @Test(arguments: StoreKind.freshnessKinds)
    func aRunThatFailsEnqueuesItsAlertInTheSameWrite(_ kind: StoreKind) async throws {
        let (store, cleanUp) = try await kind.makeFreshnessStore()
        defer { cleanUp() }
        try await store.insertAlertRoute(Self.route("all"))
        let run = FreshnessStoreTests.run("r1")
        _ = try await store.create(run, joiningActive: true)
        try await RunStoreFixtures.drive(store, run, [.start, .jobQueued(jobId: "j1"), .jobFailed(notes: "Login failed")])
        let delivery = try #require(try await store.alertDeliveries(AlertDeliveryQuery()).first)
        #expect(delivery.event.id == "run.r1" && delivery.event.reason == "Login failed" && delivery.event.failureClass == "tableauJobFailed")
        let second = FreshnessStoreTests.run("r2", createdAt: Fixtures.later(5000))
        _ = try await store.create(second, joiningActive: true)
        try await RunStoreFixtures.drive(store, second, [.start, .jobQueued(jobId: "j2"), .jobSucceeded], at: Fixtures.later(6000))
        #expect(try await store.alertDeliveries(AlertDeliveryQuery()).map(\.event.kind) == [AlertEvent.Kind.runRecovered, AlertEvent.Kind.runFailed])
    }

    @Test(arguments: StoreKind.freshnessKinds)
    func pipelineEventsApplyOnceAndOnlyTheirPipelineClears(_ kind: StoreKind) async throws {
        let (store, cleanUp) = try await kind.makeFreshnessStore()
        defer { cleanUp() }
        let items = [PipelineItem(item: RunStoreFixtures.sales, projectName: "Finance")]
        let failed = PipelineEvent(
            eventId: "e1", connectionId: "conn-1", pipeline: "nightly", status: .failed, reason: "load failed", targets: ["table a.b.c"], actor: "token:etl",
            receivedAt: Fixtures.now, items: items)
        #expect(try await store.recordPipelineEvent(failed).repeated == false)
        var record = try #require(try await store.freshness(FreshnessQuery()).first)
        #expect(record.pipelineFailure == PipelineFailure(pipeline: "nightly", eventId: "e1", at: Fixtures.now, reason: "load failed"))
        #expect(FreshnessStatus(record, policies: [], now: Fixtures.now).staleReason == .pipelineFailed)
        var repeated = failed
        repeated.receivedAt = Fixtures.later(1)
        let again = try await store.recordPipelineEvent(repeated)
        #expect(again.repeated && again.event == failed)
        var other = failed
        other.eventId = "e2"
        other.pipeline = "other"
        other.status = .succeeded
        _ = try await store.recordPipelineEvent(other)
        #expect(try await store.freshness(FreshnessQuery()).first?.pipelineFailure != nil)
        var cleared = failed
        cleared.eventId = "e3"
        cleared.status = .succeeded
        _ = try await store.recordPipelineEvent(cleared)
        record = try #require(try await store.freshness(FreshnessQuery()).first)
        #expect(record.pipelineFailure == nil)
        #expect(try await store.pipelineEvents(connectionId: "conn-1", limit: 10).map(\.eventId).count == 3)
        #expect(try await store.pipelineEvents(connectionId: "conn-2", limit: 10).isEmpty)
    }

    @Test(arguments: StoreKind.freshnessKinds)
    func warningRecordsAndSettingsAreKept(_ kind: StoreKind) async throws {
        let (store, cleanUp) = try await kind.makeFreshnessStore()
        defer { cleanUp() }
        try await store.setWarnings(connectionId: "conn-1", enabled: true, actor: "t", now: Fixtures.now)
        #expect(try await store.warningConnections() == ["conn-1"])
        var warning = FreshetWarning(
            connectionId: "conn-1", datasourceId: "ds-1", datasourceName: "Sales", warningId: nil, message: "Stale data", cause: "refresh:datasource:ds-1",
            createdAt: Fixtures.now)
        try await store.saveFreshetWarning(warning)
        warning.warningId = "w-1"
        try await store.saveFreshetWarning(warning)
        #expect(try await store.freshetWarnings(connectionId: "conn-1") == [warning])
        #expect(try await store.freshetWarnings(connectionId: nil).count == 1)
        try await store.deleteFreshetWarning(connectionId: "conn-1", datasourceId: "ds-1")
        #expect(try await store.freshetWarnings(connectionId: nil).isEmpty)
        try await store.setWarnings(connectionId: "conn-1", enabled: false, actor: "t", now: Fixtures.now)
        #expect(try await store.warningConnections().isEmpty)
    }

    @Test(arguments: StoreKind.freshnessKinds)
    func routeSecretsAreResealedWithTheConnections(_ kind: StoreKind) async throws {
        let (store, cleanUp) = try await kind.makeFreshnessStore()
        defer { cleanUp() }
        try await store.insertAlertRoute(Self.route("all"))
        #expect(try await store.sealingKeyIds() == ["k1"])
        _ = try await store.resealAll { $0.replacingOccurrences(of: "fsk1:k1:", with: "fsk1:k2:") }
        #expect(try await store.sealingKeyIds() == ["k2"])
        let route = try #require(try await store.alertRoutes().first)
        #expect(route.sealedURL == "fsk1:k2:url-all" && route.sealedSecret == "fsk1:k2:secret-all")
    }
}
