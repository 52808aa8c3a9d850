import Foundation
import TableauEmulator
import Testing

/// The versionless `/api/-/…` endpoints: content search, usage stats, collections (REST-API.md §11).
@Suite struct VersionlessTests {
    @Test func searchFindsContentByTermsAndType() async throws {
        try await withEmulator(seed: Demo.seed()) { emulator in
            let tab = try await Tab(emulator).admin()
            let answer = try await tab.get("/api/-/search?terms=sales")
            #expect(answer.status == 200)
            #expect(answer.contentType.hasPrefix("application/json"))
            let hits = try answer.json()["hits"]
            #expect(hits["total"].intValue == 1)
            let content = hits["items"][0]["content"]
            #expect(content["type"] == .string("datasource"))
            #expect(content["title"] == .string("Sales"))
            #expect(content["luid"].stringValue == (try await tab.id(of: "datasources", named: "Sales")))
            #expect(content["hitsTotal"].intValue == 120)
            #expect(content["projectName"] == .string("Default"))

            let workbooks = try await tab.get("/api/-/search?terms=&filter=type:eq:workbook").json()["hits"]
            #expect(workbooks["total"].intValue == 3)
            #expect(workbooks["items"].items.allSatisfy { $0["content"]["type"] == .string("workbook") })
            let both = try await tab.get("/api/-/search?filter=type:in:[workbook,datasource]").json()["hits"]
            #expect(both["total"].intValue == 8)
        }
    }

    @Test func searchPagesWithLimitAndNext() async throws {
        try await withEmulator(seed: Demo.seed()) { emulator in
            let tab = try await Tab(emulator).admin()
            let first = try await tab.get("/api/-/search?filter=type:eq:datasource&limit=2").json()["hits"]
            #expect(first["items"].items.count == 2)
            #expect(first["next"].stringValue != nil)
            #expect(first["prev"].isNull)
            let last = try await tab.get("/api/-/search?filter=type:eq:datasource&limit=2&page=2").json()["hits"]
            #expect(last["items"].items.count == 1)
            #expect(last["next"].isNull)
            #expect(last["prev"].stringValue != nil)
            let ordered = try await tab.get("/api/-/search?order_by=hitsTotal:desc").json()["hits"]["items"]
            #expect(ordered[0]["content"]["title"] == .string("Executive Dashboard"))
        }
    }

    @Test func versionlessCallsNeedASessionAndAnswerJSONEvenWhenXMLIsAsked() async throws {
        try await withEmulator(seed: Demo.seed()) { emulator in
            let anonymous = try await Tab(emulator).get("/api/-/search?terms=sales")
            #expect(anonymous.status == 401)
            #expect(Tab.errorCode(anonymous) == "401000")
            var tab = try await Tab(emulator).admin()
            tab.wantsJSON = false
            let answer = try await tab.get("/api/-/search?terms=sales")
            #expect(answer.contentType.hasPrefix("application/json"))
            #expect(try answer.json()["hits"]["total"].intValue == 1)
        }
    }

    @Test func usageStatsForOneItem() async throws {
        try await withEmulator(seed: Demo.seed()) { emulator in
            let tab = try await Tab(emulator).admin()
            let sales = try await tab.id(of: "datasources", named: "Sales")
            let usage = try await tab.get("/api/-/content/usage-stats/datasources/\(sales)").json()
            #expect(usage["hitsTotal"].intValue == 120)
            #expect(usage["hitsLastTwoWeeksTotal"].intValue == 14)
            #expect(usage["hitsLastTwelveMonthsTotal"].intValue == 0)
            let dashboard = try await tab.id(of: "workbooks", named: "Executive Dashboard")
            let workbook = try await tab.get("/api/-/content/usage-stats/workbooks/\(dashboard)").json()
            #expect(workbook["hitsTotal"].intValue == 310)
            let unsupported = try await tab.get("/api/-/content/usage-stats/flows/\(sales)")
            #expect(unsupported.status == 400)
            let missing = try await tab.get("/api/-/content/usage-stats/workbooks/00000000-0000-0000-0000-000000000000")
            #expect(missing.status == 404)
        }
    }

    @Test func usageStatsInABatchCarryStrings() async throws {
        try await withEmulator(seed: Demo.seed()) { emulator in
            let tab = try await Tab(emulator).admin()
            let sales = try await tab.id(of: "datasources", named: "Sales")
            let dashboard = try await tab.id(of: "workbooks", named: "Executive Dashboard")
            let body = #"{"content_items":[{"type":"datasource","luid":"\#(sales)"},{"type":"workbooks","luid":"\#(dashboard)"},{"type":"workbook","luid":"00000000-0000-0000-0000-000000000000"}]}"#
            let answer = try await tab.post("/api/-/content/usage-stats", body)
            #expect(answer.status == 200)
            let items = try answer.json()["content_items"].items
            #expect(items.count == 2)
            let bySales = try #require(items.first { $0["content"]["luid"].stringValue == sales })
            #expect(bySales["content"]["type"] == .string("datasource"))
            #expect(bySales["usage"]["hitsTotal"] == .string("120"))
            let byDashboard = try #require(items.first { $0["content"]["luid"].stringValue == dashboard })
            #expect(byDashboard["content"]["type"] == .string("workbook"))
            #expect(byDashboard["usage"]["hitsTotal"] == .string("310"))
        }
    }

    @Test func collectionsListGetAndItems() async throws {
        try await withEmulator(seed: Demo.seed()) { emulator in
            let tab = try await Tab(emulator).admin()
            let list = try await tab.get("/api/-/collections").json()
            #expect(list["pagination"]["totalAvailable"] == .string("1"))
            let collection = list["collections"][0]
            #expect(collection["name"] == .string("Quarterly Review"))
            #expect(collection["totalItemCount"].intValue == 2)
            #expect(collection["visibility"] == .string("public"))
            let id = try #require(collection["luid"].stringValue)
            let one = try await tab.get("/api/-/collections/\(id)").json()
            #expect(one["collection"]["description"] == .string("What the board looks at"))
            let items = try await tab.get("/api/-/collections/\(id)/items").json()["items"].items
            #expect(items.compactMap { $0["name"].stringValue } == ["Executive Dashboard", "Sales"])
            #expect(items.compactMap { $0["type"].stringValue } == ["workbook", "datasource"])
            let missing = try await tab.get("/api/-/collections/nope")
            #expect(missing.status == 404)
            #expect(try await tab.delete("/api/-/collections/\(id)").status == 405)
        }
    }
}
