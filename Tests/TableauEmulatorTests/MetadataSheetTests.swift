import Foundation
import TableauEmulator
import Testing

/// Metadata API: `Workbook.uri/sheets/dashboards`, top-level `sheets`/`dashboards`,
/// `PublishedDatasource.downstreamSheets` and `extractLastUpdateTime` (issue #21 item 6).
@Suite struct MetadataSheetTests {
    static func seed() throws -> Seed {
        var seed = try Demo.seed()
        seed.sites[0].workbooks?[0].dashboards = ["Board"]
        return seed
    }

    @Test func workbooksHaveURISheetsAndDashboards() async throws {
        try await withEmulator(seed: Self.seed()) { emulator in
            let session = try await MetadataTests.signIn(emulator)
            let query = #"{ workbooks(filter: {name: "Executive Dashboard"}) { luid uri vizportalUrlId sheets { name luid path index workbook { name } containedInDashboards { name } } dashboards { name path sheets { name } } } }"#
            let reply = try await session.graphql(query)
            let object = try reply.object()
            #expect(MetadataTests.errors(object).isEmpty, "\(reply)")
            let workbook = try #require(MetadataTests.at(object, "data", "workbooks", 0) as? [String: Any], "\(reply)")
            #expect((workbook["uri"] as? String)?.hasPrefix("sites/1/workbooks/") == true)
            #expect(MetadataTests.strings(workbook["sheets"], "name") == ["Overview", "Regions"])
            #expect(MetadataTests.strings(workbook["sheets"], "path") == ["ExecutiveDashboard/Overview", "ExecutiveDashboard/Regions"])
            #expect(MetadataTests.at(workbook, "sheets", 0, "workbook", "name") as? String == "Executive Dashboard")
            #expect(MetadataTests.strings(MetadataTests.at(workbook, "sheets", 1, "containedInDashboards"), "name") == ["Board"])
            #expect(MetadataTests.strings(workbook["dashboards"], "name") == ["Board"])
            #expect(MetadataTests.strings(MetadataTests.at(workbook, "dashboards", 0, "sheets"), "name") == ["Overview", "Regions"])

            // A sheet's luid is its view's REST id.
            let views = try await session.get("/api/3.24/sites/\(session.siteId)/views?filter=name:eq:Regions").object()
            let viewId = MetadataTests.at(views, "views", "view", 0, "id") as? String
            #expect(MetadataTests.at(workbook, "sheets", 1, "luid") as? String == viewId)
        }
    }

    @Test func topLevelSheetsAndDashboardsWithPaging() async throws {
        try await withEmulator(seed: Self.seed()) { emulator in
            let session = try await MetadataTests.signIn(emulator)
            let reply = try await session.graphql(
                #"{ sheets { name } sheetsConnection(first: 2) { totalCount nodes { name } pageInfo { hasNextPage } } dashboards(filter: {name: "Board"}) { name workbook { name } } }"#
            )
            let object = try reply.object()
            #expect(MetadataTests.errors(object).isEmpty, "\(reply)")
            #expect((MetadataTests.at(object, "data", "sheets") as? [Any])?.count == 4)
            #expect(MetadataTests.at(object, "data", "sheetsConnection", "totalCount") as? Int == 4)
            #expect(MetadataTests.at(object, "data", "sheetsConnection", "pageInfo", "hasNextPage") as? Bool == true)
            #expect(MetadataTests.at(object, "data", "dashboards", 0, "workbook", "name") as? String == "Executive Dashboard")
        }
    }

    @Test func downstreamSheetsAndExtractLastUpdateTime() async throws {
        let configuration = EmulatorConfiguration(clock: .manual())
        try await withEmulator(seed: Self.seed(), configuration: configuration) { emulator in
            let session = try await MetadataTests.signIn(emulator)
            let query = #"{ publishedDatasources(filter: {name: "Sales"}) { uri downstreamSheets { name } downstreamDashboards { name } extractLastRefreshTime extractLastUpdateTime extractLastIncrementalUpdateTime } }"#
            let before = try await session.graphql(query).object()
            let node = try #require(MetadataTests.at(before, "data", "publishedDatasources", 0) as? [String: Any], "\(before)")
            #expect(MetadataTests.strings(node["downstreamSheets"], "name") == ["Overview", "Regions"])
            #expect(MetadataTests.strings(node["downstreamDashboards"], "name") == ["Board"])
            #expect(node["extractLastUpdateTime"] is NSNull)
            #expect((node["uri"] as? String)?.hasPrefix("sites/1/datasources/") == true)

            let id = try await session.restId("datasource", named: "Sales")
            let incremental = try await session.post(
                "/api/3.24/sites/\(session.siteId)/datasources/\(id)/refresh", #"{"extractRefresh":{"incremental":"true"}}"#
            )
            #expect(incremental.status == 202, "\(incremental)")
            emulator.state.clock.advance(by: 10)
            let after = try await session.graphql(query).object()
            let updated = try #require(MetadataTests.at(after, "data", "publishedDatasources", 0) as? [String: Any])
            // An incremental refresh updates the extract but is not a full refresh.
            #expect(updated["extractLastUpdateTime"] as? String == "2026-01-01T00:00:03Z", "\(after)")
            #expect(updated["extractLastIncrementalUpdateTime"] as? String == "2026-01-01T00:00:03Z")
            #expect(updated["extractLastRefreshTime"] is NSNull)
        }
    }
}
