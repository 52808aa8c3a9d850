import Foundation
import Testing

@testable import Freshet

/// dbt artifacts (trimmed from dbt-core 1.11 + dbt-duckdb: run_results v6, manifest v12) into refresh plans.
@Suite struct DbtRefreshPlanTests {
    static let runResults = Data(
        #"""
        {"metadata": {"dbt_schema_version": "https://schemas.getdbt.com/dbt/run-results/v6.json", "dbt_version": "1.11.16"},
         "results": [
          {"status": "success", "unique_id": "seed.shop.raw_orders", "relation_name": null, "timing": [], "thread_id": "Thread-1"},
          {"status": "success", "unique_id": "model.shop.customers", "relation_name": "\"warehouse\".\"public\".\"customers\""},
          {"status": "error", "unique_id": "model.shop.orders", "relation_name": "\"warehouse\".\"public\".\"orders\"", "message": "Catalog Error"},
          {"status": "skipped", "unique_id": "model.shop.orders_daily", "relation_name": "\"warehouse\".\"public\".\"orders_daily\""},
          {"status": "pass", "unique_id": "test.shop.not_null_orders_id.abc", "relation_name": null},
          {"status": "success", "unique_id": "snapshot.shop.ledger_snapshot"},
          {"unique_id": "model.shop.no_status"},
          "not an object"
         ], "elapsed_time": 4.2}
        """#.utf8)

    static let manifest = Data(
        #"""
        {"metadata": {"dbt_schema_version": "https://schemas.getdbt.com/dbt/manifest/v12.json"},
         "nodes": {
          "seed.shop.raw_orders": {"resource_type": "seed", "database": "warehouse", "schema": "raw", "alias": "raw_orders", "name": "raw_orders"},
          "model.shop.customers": {"resource_type": "model", "database": "warehouse", "schema": "public", "alias": "customers", "name": "customers"},
          "model.shop.orders": {"resource_type": "model", "database": "warehouse", "schema": "public", "alias": "orders", "name": "orders"},
          "snapshot.shop.ledger_snapshot": {"resource_type": "snapshot", "database": "warehouse", "schema": "finance", "alias": "ledger", "name": "ledger_snapshot"}
         },
         "exposures": {
          "exposure.shop.exec": {"name": "exec", "type": "dashboard", "url": "https://tableau.example.com/#/site/sales/workbooks/951a77b0-e0ba-5dfb-aaa7-184c2bf512c0/views", "depends_on": {"macros": [], "nodes": ["model.shop.orders"]}},
          "exposure.shop.traffic": {"name": "traffic", "url": "https://tableau.example.com/#/datasources/b5b95bc3-c022-5da0-99ac-d8fd741ed068", "depends_on": {"nodes": ["model.shop.customers", "snapshot.shop.ledger_snapshot"]}},
          "exposure.shop.notebook": {"name": "notebook", "url": "https://notebooks.example.com/x", "depends_on": {"nodes": ["model.shop.customers"]}}
         },
         "macros": {"macro.dbt.run": {"name": "run"}}}
        """#.utf8)

    @Test func successfulNodesBecomeTablesAndExposures() throws {
        let plan = DbtRefreshPlan(runResults: try DbtRunResults(json: Self.runResults), manifest: try DbtManifest(json: Self.manifest))
        #expect(plan.candidates.map(\.target) == [
            .table(TableName("warehouse.raw.raw_orders")!), .table(TableName("warehouse.public.customers")!),
            .table(TableName("warehouse.finance.ledger")!), .datasource("b5b95bc3-c022-5da0-99ac-d8fd741ed068"),
        ])
        #expect(plan.candidates[1].reasons == ["model.shop.customers succeeded and rebuilt warehouse.public.customers"])
        #expect(plan.candidates[3].reasons == [
            "exposure.shop.traffic depends on model.shop.customers, snapshot.shop.ledger_snapshot, which succeeded"
        ])
        // The failed and skipped models, and the exposure on the failed one, refresh nothing.
        #expect(plan.ignored.contains("model.shop.orders: error, nothing downstream is refreshed"))
        #expect(plan.ignored.contains("model.shop.orders_daily: skipped, nothing downstream is refreshed"))
        #expect(!plan.candidates.contains { $0.target == .workbook("951a77b0-e0ba-5dfb-aaa7-184c2bf512c0") })
        #expect(plan.ignored.contains("exposure.shop.notebook: its url names no Tableau workbook or data source by id"))
    }

    @Test func withoutAManifestTheRunResultsRelationsAreUsed() throws {
        let plan = DbtRefreshPlan(runResults: try DbtRunResults(json: Self.runResults), manifest: nil)
        #expect(plan.candidates.map(\.target) == [.table(TableName("warehouse.public.customers")!)])
        #expect(plan.ignored.contains("seed.shop.raw_orders: succeeded, but its relation is unknown (pass --dbt-manifest)"))
    }

    @Test func decodingFromARequestBodyMatchesParsing() throws {
        let decoded = try JSONDecoder().decode(DbtRunResults.self, from: Self.runResults)
        #expect(decoded == (try DbtRunResults(json: Self.runResults)))
        let manifest = try JSONDecoder().decode(DbtManifest.self, from: Self.manifest)
        #expect(manifest == (try DbtManifest(json: Self.manifest)))
    }

    @Test(arguments: [
        (#""warehouse"."public"."orders""#, "warehouse.public.orders"), ("`proj`.`ds`.`t`", "proj.ds.t"),
        ("[db].[dbo].[t]", "db.dbo.t"), ("db.schema.t", "db.schema.t"),
    ])
    func relationNames(relation: String, table: String) {
        #expect(DbtRelation.table(relation) == TableName(table))
    }

    @Test func relationNamesThatAreNotThreePartsAreRefused() {
        #expect(DbtRelation.table(#""schema"."t""#) == nil)
        #expect(DbtRelation.table(#""a.b"."c"."d""#) == nil)
    }

    @Test func tableauURLs() {
        let id = "951a77b0-e0ba-5dfb-aaa7-184c2bf512c0"
        #expect(DbtTableauURL.target("https://t.example.com/#/site/x/workbooks/\(id)/views") == .workbook(id))
        #expect(DbtTableauURL.target("https://t.example.com/datasources/\(id)?tab=1") == .datasource(id))
        #expect(DbtTableauURL.target("tableau://t.example.com/default/datasources/\(id)") == .datasource(id))
        #expect(DbtTableauURL.target("https://t.example.com/#/workbooks/12345/views") == nil)
        #expect(DbtTableauURL.target("https://t.example.com/#/views/Sales/Overview") == nil)
    }

    @Test func notArtifactsAreClearErrors() {
        #expect(throws: DbtArtifactError("run_results.json has no \"results\" array: is it dbt's run_results.json?")) {
            try DbtRunResults(json: Data(#"{"nodes": {}}"#.utf8))
        }
        #expect(throws: DbtArtifactError.self) { try DbtManifest(json: Data("[1]".utf8)) }
    }

    @Test func resolvedPlanMergesReasonsAndReportsWhatRefreshesNothing() throws {
        let plan = DbtRefreshPlan(runResults: try DbtRunResults(json: Self.runResults), manifest: try DbtManifest(json: Self.manifest))
        let sales = RefreshableItem(item: RunItem(contentType: .datasource, tableauId: "s-1", name: "Sales"), projectName: "Default", hasExtracts: true)
        let live = RefreshableItem(item: RunItem(contentType: .datasource, tableauId: "l-1", name: "Live"), projectName: nil, hasExtracts: false)
        let traffic = RefreshableItem(
            item: RunItem(contentType: .datasource, tableauId: "b5b95bc3-c022-5da0-99ac-d8fd741ed068", name: "Web Traffic"), projectName: "Marketing",
            hasExtracts: true)
        let resolved = DbtResolvedPlan(plan: plan, resolutions: [
            .nothing("the Metadata API lineage shows no published data source or workbook reading this table"),
            .items([sales, live]), .items([sales]), .items([traffic]),
        ])
        #expect(resolved.refresh.map(\.item) == [sales, traffic])
        #expect(resolved.refresh[0].reasons.count == 2)
        #expect(resolved.live.map(\.item) == [live])
        #expect(resolved.targets == [.datasource("s-1"), .datasource("b5b95bc3-c022-5da0-99ac-d8fd741ed068")])
        #expect(resolved.skipped.first?.hasPrefix("table warehouse.raw.raw_orders: the Metadata API lineage") == true)
        #expect(resolved.lines.first == "Would refresh 2 item(s):")
    }
}
