import Foundation
import Freshet
import Synchronization
import Testing

/// A Tableau with data quality warnings in memory; optionally loses the answer of the next add.
final class ScriptedWarnings: WarningGateway {
    struct Lost: Error {}
    let state = Mutex<(warnings: [String: [(id: String, message: String)]], loseNextAnswer: Bool, workbookSources: [String: [RunItem]], calls: [String])>(
        ([:], false, [:], []))

    func warnings(on datasource: String) -> [String] { state.withLock { $0.warnings[datasource, default: []].map(\.message) } }

    func addWarning(datasourceId: String, message: String) async throws(GatewayError) -> String {
        let (id, lose) = state.withLock { state -> (String, Bool) in
            let id = UUID().uuidString
            state.warnings[datasourceId, default: []].append((id, message))
            state.calls.append("add \(datasourceId)")
            defer { state.loseNextAnswer = false }
            return (id, state.loseNextAnswer)
        }
        if lose { throw GatewayError(message: "the connection dropped") }
        return id
    }

    func warnings(datasourceId: String) async throws(GatewayError) -> [(id: String, message: String)] {
        state.withLock { $0.warnings[datasourceId, default: []] }
    }

    func deleteWarning(id: String) async throws(GatewayError) {
        state.withLock { state in
            state.calls.append("delete \(id)")
            for key in state.warnings.keys { state.warnings[key]?.removeAll { $0.id == id } }
        }
    }

    func publishedDataSources(ofWorkbook workbookId: String) async throws(GatewayError) -> [RunItem] {
        state.withLock { $0.workbookSources[workbookId, default: []] }
    }
}

/// Data quality warnings follow freshness on opted-in connections: one per data source, removed
/// when the cause clears, never touching others' warnings, repaired after a lost answer.
struct QualityWarningTests {
    static func setup() async throws -> (InMemoryStore, ScriptedWarnings, QualityWarningReconciler) {
        let store = InMemoryStore()
        let connection = Connection(
            id: FreshnessTests.connection, name: "prod", server: try ServerURL(parsing: "tableau.example.com"), siteContentUrl: "",
            auth: .personalAccessToken(name: "freshet"))
        try await store.insert(StoredConnection(connection: connection, sealedSecret: "fsk1:test:sealed"))
        let tableau = ScriptedWarnings()
        let reconciler = QualityWarningReconciler(store: store, connections: store, gateways: { _ in tableau })
        return (store, tableau, reconciler)
    }

    @Test func aFailedRefreshWarnsOnceASuccessRemovesItAndOthersWarningsStay() async throws {
        let (store, tableau, reconciler) = try await Self.setup()
        tableau.state.withLock { $0.warnings["ds-1"] = [("theirs", "Vendor maintenance tonight")] }
        let t0 = Date(timeIntervalSince1970: 1_800_000_000)
        _ = try await FreshnessTests.end(store, FreshnessTests.sales, .failed, notes: "Login failed for user 'etl'.", at: t0)
        #expect(try await reconciler.reconcile().added.isEmpty)  // not opted in
        await store.setWarnings(connectionId: FreshnessTests.connection, enabled: true, actor: "t", now: t0)
        #expect(try await reconciler.reconcile().added == ["ds-1"])
        #expect(try await reconciler.reconcile().added.isEmpty)  // exactly one
        #expect(tableau.warnings(on: "ds-1") == [
            "Vendor maintenance tonight", "Stale data: the refresh of Sales failed at 2027-01-15 08:00 UTC — Login failed for user 'etl'.",
        ])
        _ = try await FreshnessTests.end(store, FreshnessTests.sales, .succeeded, at: t0.addingTimeInterval(60))
        #expect(try await reconciler.reconcile().removed == ["ds-1"])
        #expect(tableau.warnings(on: "ds-1") == ["Vendor maintenance tonight"])
        #expect(await store.freshetWarnings(connectionId: nil).isEmpty)
    }

    @Test func aStaleWorkbookWarnsItsPublishedDataSourcesAndAPipelineFailureWarnsDownstream() async throws {
        let (store, tableau, reconciler) = try await Self.setup()
        let t0 = Date(timeIntervalSince1970: 1_800_000_000)
        await store.setWarnings(connectionId: FreshnessTests.connection, enabled: true, actor: "t", now: t0)
        tableau.state.withLock { $0.workbookSources["wb-1"] = [RunItem(contentType: .datasource, tableauId: "ds-9", name: "Orders")] }
        _ = try await FreshnessTests.end(store, FreshnessTests.board, .failed, notes: "boom", at: t0)
        #expect(try await reconciler.reconcile().added == ["ds-9"])

        let event = PipelineEvent(
            eventId: "e1", connectionId: FreshnessTests.connection, pipeline: "nightly", status: .failed, reason: "task failed", targets: ["table a.b.c"],
            actor: "t", receivedAt: t0, items: [PipelineItem(item: FreshnessTests.sales, projectName: "Finance")])
        _ = await store.recordPipelineEvent(event)
        #expect(try await reconciler.reconcile().added == ["ds-1"])
        #expect(tableau.warnings(on: "ds-1") == ["Stale data: pipeline nightly failed at 2027-01-15 08:00 UTC — task failed"])
        var success = event
        success.eventId = "e2"
        success.status = .succeeded
        _ = await store.recordPipelineEvent(success)
        #expect(try await reconciler.reconcile().removed == ["ds-1"])
        await store.setWarnings(connectionId: FreshnessTests.connection, enabled: false, actor: "t", now: t0)
        #expect(try await reconciler.reconcile().removed == ["ds-9"])  // turned off: Freshet's warnings go
        #expect(tableau.warnings(on: "ds-9").isEmpty)
    }

    @Test func anAddWhoseAnswerWasLostIsAdoptedNotAddedTwice() async throws {
        let (store, tableau, reconciler) = try await Self.setup()
        let t0 = Date(timeIntervalSince1970: 1_800_000_000)
        await store.setWarnings(connectionId: FreshnessTests.connection, enabled: true, actor: "t", now: t0)
        _ = try await FreshnessTests.end(store, FreshnessTests.sales, .failed, notes: "boom", at: t0)
        tableau.state.withLock { $0.loseNextAnswer = true }
        #expect(try await reconciler.reconcile().failures.count == 1)
        #expect(await store.freshetWarnings(connectionId: nil).first?.warningId == nil)  // the intent
        #expect(try await reconciler.reconcile().added == ["ds-1"])
        #expect(tableau.warnings(on: "ds-1").count == 1)
        #expect(tableau.state.withLock { $0.calls.filter { $0.hasPrefix("add") }.count } == 1)
        #expect(await store.freshetWarnings(connectionId: nil).first?.warningId != nil)
    }
}
