import Foundation
import Freshet
import Testing

/// Resolution rules the engine applies before storing anything.
@Suite struct TargetResolutionTests {
    /// A dbt run rebuilds tables no dashboard reads: with `skipsTablesWithoutLineage` they are left
    /// out; without it they fail the request; with nothing left at all the request still fails.
    @Test func tablesWithoutLineageAreSkippedOnlyWhenAsked() async throws {
        let harness = try await EngineHarness.make(items: 2)
        let (engine, _) = harness.process("p")
        let table = try #require(TableName("warehouse.staging.unused"))
        let mixed = RefreshRequest(connection: "prod", targets: [.table(table), .datasource("Item 1")], skipsTablesWithoutLineage: true)
        #expect(try await engine.submit(mixed, actor: "dbt").runs.count == 1)
        await #expect(throws: RefreshRequestError.self) {
            try await engine.submit(RefreshRequest(connection: "prod", targets: [.table(table), .datasource("Item 2")]), actor: "dbt")
        }
        await #expect(throws: RefreshRequestError.self) {
            try await engine.submit(RefreshRequest(connection: "prod", targets: [.table(table)], skipsTablesWithoutLineage: true), actor: "dbt")
        }
        #expect(await harness.runs().count == 1)
        await engine.shutdown()
    }

    /// A request naming many items lists the site once instead of looking up each name; a few
    /// names are looked up one by one.
    @Test func manyNamesCostOneListing() async throws {
        let harness = try await EngineHarness.make(items: 30)
        let (engine, _) = harness.process("p")
        _ = try await engine.submit(RefreshRequest(connection: "prod", targets: (1...25).map { .datasource("Item \($0)") }), actor: "dbt")
        #expect(harness.tableau.calls.filter { $0 == "all items" }.count == 1)
        #expect(!harness.tableau.calls.contains { $0.hasPrefix("items named") })
        _ = try await engine.submit(RefreshRequest(connection: "prod", targets: [.datasource("Item 26"), .datasource("Item 27")]), actor: "dbt")
        #expect(harness.tableau.calls.filter { $0.hasPrefix("items named") }.count == 2)
        #expect(await harness.runs().count == 27)
        await engine.shutdown()
    }

    /// The fingerprint ignores target order and repeats, and sees everything else.
    @Test func theFingerprintIsTheRequestsMeaning() {
        let a = RefreshRequest(connection: "prod", targets: [.datasource("A"), .workbook("B")])
        let b = RefreshRequest(connection: "prod", targets: [.workbook("B"), .datasource("A"), .datasource("A")])
        #expect(a.fingerprint == b.fingerprint)
        #expect(a.fingerprint != RefreshRequest(connection: "prod", targets: [.datasource("A")]).fingerprint)
        #expect(a.fingerprint != RefreshRequest(connection: "prod", targets: [.datasource("A"), .workbook("B")], timeout: .seconds(60)).fingerprint)
        #expect(a.fingerprint != RefreshRequest(connection: "prod", targets: [.datasource("B"), .workbook("A")]).fingerprint)
        #expect(
            RefreshRequest(connection: "prod", targets: [.datasource("A/B")]).fingerprint
                != RefreshRequest(connection: "prod", targets: [.datasource("B", project: "A")]).fingerprint)
    }
}
