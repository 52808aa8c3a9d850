import Foundation
import TableauEmulator
import Testing

/// Query Site by a percent-encoded name, Query Views for Site and Get View (issue #21 items 1–3).
@Suite struct ViewTests {
    @Test func querySiteByNameDecodesThePath() async throws {
        let seed = Seed(
            personalAccessTokens: [Seed.PATSeed(name: "pat", secret: "s", user: "admin@example.com")],
            sites: [
                Seed.SiteSeed(
                    name: "Acme Analytics", contentUrl: "acme",
                    users: [Seed.UserSeed(name: "admin@example.com", siteRole: "SiteAdministratorCreator")]
                )
            ]
        )
        try await withEmulator(seed: seed) { emulator in
            let tab = try await Tab(emulator).signedIn(pat: "pat", secret: "s", site: "acme")
            let answer = try await tab.get("sites/Acme%20Analytics?key=name")
            #expect(answer.status == 200, "\(answer)")
            #expect(try answer.json()["site"]["contentUrl"] == .string("acme"))
            #expect(try answer.json()["site"]["name"] == .string("Acme Analytics"))
            // A plus in a path is a plus, not a space.
            #expect(try await tab.get("sites/Acme+Analytics?key=name").status == 404)
        }
    }

    @Test func queryViewsForSiteListsEveryViewWithPagingAndFilters() async throws {
        try await withEmulator(seed: Demo.seed()) { emulator in
            let tab = try await Tab(emulator).admin()
            let all = try await tab.get("sites/SITE/views")
            #expect(all.status == 200, "\(all)")
            let json = try all.json()
            #expect(json["pagination"]["totalAvailable"] == .string("4"))
            let views = json["views"]["view"].items
            #expect(views.count == 4)
            let names = views.compactMap { $0["name"].stringValue }
            #expect(names.filter { $0 == "Overview" }.count == 3)
            #expect(names.contains("Regions"))
            for view in views {
                #expect(view["workbook"]["id"].stringValue != nil)
                #expect(view["owner"]["id"].stringValue != nil)
                #expect(view["project"]["name"].stringValue != nil)
                #expect(NegotiationTests.isTableauDate(view["createdAt"].stringValue))
                #expect(view["sheetType"] == .string("worksheet"))
            }
            let page = try await tab.get("sites/SITE/views?pageSize=3&pageNumber=2").json()
            #expect(page["views"]["view"].items.count == 1)
            #expect(page["pagination"]["pageNumber"] == .string("2"))

            let regions = try await tab.get("sites/SITE/views?filter=name:eq:Regions").json()["views"]["view"].items
            #expect(regions.count == 1)
            #expect(regions.first?["contentUrl"] == .string("ExecutiveDashboard/sheets/Regions"))
            let ofWorkbook = try await tab.get("sites/SITE/views?filter=workbookName:eq:Executive+Dashboard&sort=name:desc").json()
            #expect(ofWorkbook["views"]["view"].items.compactMap { $0["name"].stringValue } == ["Regions", "Overview"])
            #expect(try await tab.get("sites/SITE/views?filter=colour:eq:red").status == 400)
        }
    }

    @Test func usageStatisticsAndXMLShape() async throws {
        try await withEmulator(seed: Demo.seed()) { emulator in
            var tab = try await Tab(emulator).admin()
            tab.wantsJSON = false
            let answer = try await tab.get("sites/SITE/views?includeUsageStatistics=true&filter=workbookName:eq:Executive+Dashboard")
            let root = try XMLNode.parse(answer.body)
            let views = root.all("view")
            #expect(views.count == 2)
            #expect(views.first?.first("usage")?["totalViewCount"] == "310")
            #expect(views.first?.first("workbook")?.namespace == "http://tableau.com/api")
            let plain = try XMLNode.parse(try await tab.get("sites/SITE/views").body)
            #expect(plain.all("usage").isEmpty)
        }
    }

    @Test func getViewByIdAndUnknownIds() async throws {
        try await withEmulator(seed: Demo.seed()) { emulator in
            let tab = try await Tab(emulator).admin()
            let list = try await tab.get("sites/SITE/views?filter=name:eq:Regions").json()
            let id = try #require(list["views"]["view"][0]["id"].stringValue)
            let one = try await tab.get("sites/SITE/views/\(id)")
            #expect(one.status == 200)
            #expect(try one.json()["view"]["name"] == .string("Regions"))
            #expect(try one.json()["view"]["viewUrlName"] == .string("Regions"))
            let missing = try await tab.get("sites/SITE/views/00000000-0000-0000-0000-000000000000")
            #expect(missing.status == 404)
            #expect(Tab.errorCode(missing) == "404000")
            #expect(try await tab.post("sites/SITE/views", "{}").status == 405)
        }
    }

    @Test func dashboardsFromTheSeedAreViewsOfTypeDashboard() async throws {
        var seed = try Demo.seed()
        seed.sites[0].workbooks?[0].dashboards = ["Board"]
        try await withEmulator(seed: seed) { emulator in
            let tab = try await Tab(emulator).admin()
            let dashboards = try await tab.get("sites/SITE/views?filter=sheetType:eq:dashboard").json()["views"]["view"].items
            #expect(dashboards.compactMap { $0["name"].stringValue } == ["Board"])
        }
    }
}
