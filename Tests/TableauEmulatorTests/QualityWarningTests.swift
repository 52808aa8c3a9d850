import Foundation
import TableauEmulator
import Testing

/// Data quality warnings: add, query, update, delete by content and by id (issue #21 item 5).
@Suite struct QualityWarningTests {
    @Test func addQueryUpdateAndDeleteByContent() async throws {
        try await withEmulator(seed: Demo.seed()) { emulator in
            var tab = try await Tab(emulator).admin()
            let sales = try await tab.id(of: "datasources", named: "Sales")
            let path = "sites/SITE/dataQualityWarnings/datasource/\(sales)"
            #expect(try await tab.get(path).json()["dataQualityWarningList"].keys.isEmpty)

            tab.wantsJSON = false
            let add = try await tab.post(path, #"<tsRequest><dataQualityWarning type="STALE" message="Nightly load late" isActive="true" isSevere="false"/></tsRequest>"#)
            #expect(add.status == 200, "\(add)")
            let added = try #require(XMLNode.parse(add.body).first("dataQualityWarning"))
            #expect(added["type"] == "STALE")
            #expect(added["message"] == "Nightly load late")
            #expect(added["contentId"] == sales)
            #expect(added["contentType"] == "DATASOURCE")
            #expect(added["userDisplayName"] == "Ada Admin")
            #expect(added.first("owner")?["id"] == tab.userId)
            #expect(NegotiationTests.isTableauDate(added["createdAt"]))
            let id = try #require(added["id"])

            tab.wantsJSON = true
            let listed = try await tab.get(path).json()["dataQualityWarningList"]["dataQualityWarning"].items
            #expect(listed.count == 1)
            #expect(listed.first?["isSevere"] == .string("false"))

            let update = try await tab.put(path, #"{"dataQualityWarning":{"type":"STALE","isSevere":"true","message":"Two days late"}}"#)
            #expect(update.status == 200, "\(update)")
            let byId = try await tab.get("sites/SITE/dataQualityWarnings/\(id)").json()["dataQualityWarning"]
            #expect(byId["isSevere"] == .string("true"))
            #expect(byId["message"] == .string("Two days late"))

            #expect(try await tab.delete(path).status == 204)
            #expect(try await tab.get("sites/SITE/dataQualityWarnings/\(id)").status == 404)
        }
    }

    @Test func updateAndDeleteById() async throws {
        try await withEmulator(seed: Demo.seed()) { emulator in
            let tab = try await Tab(emulator).admin()
            let orders = try await tab.id(of: "datasources", named: "Orders")
            let add = try await tab.post("sites/SITE/dataQualityWarnings/datasource/\(orders)", #"{"dataQualityWarning":{"type":"DEPRECATED","message":"Use Sales"}}"#)
            let id = try #require(try add.json()["dataQualityWarning"]["id"].stringValue)
            let update = try await tab.put("sites/SITE/dataQualityWarnings/\(id)", #"{"dataQualityWarning":{"isActive":"false"}}"#)
            #expect(try update.json()["dataQualityWarning"]["isActive"] == .string("false"))
            #expect(try update.json()["dataQualityWarning"]["type"] == .string("DEPRECATED"))
            #expect(try await tab.delete("sites/SITE/dataQualityWarnings/\(id)").status == 204)
            #expect(try await tab.delete("sites/SITE/dataQualityWarnings/\(id)").status == 404)
        }
    }

    @Test func tablesTakeWarningsAndBadInputIsRefused() async throws {
        try await withEmulator(seed: Demo.seed()) { emulator in
            let tab = try await Tab(emulator).admin()
            let sales = try await tab.id(of: "datasources", named: "Sales")
            let tables = try await tab.post("/api/metadata/graphql", #"{"query":"{ databaseTables(filter: {name: \"orders\"}) { luid } }"}"#)
            let table = try #require(try tables.json()["data"]["databaseTables"][0]["luid"].stringValue, "\(tables)")
            let onTable = try await tab.post("sites/SITE/dataQualityWarnings/table/\(table)", #"{"dataQualityWarning":{"type":"MAINTENANCE"}}"#)
            #expect(onTable.status == 200, "\(onTable)")
            #expect(try onTable.json()["dataQualityWarning"]["contentType"] == .string("TABLE"))
            let badType = try await tab.post("sites/SITE/dataQualityWarnings/datasource/\(sales)", #"{"dataQualityWarning":{"type":"SPICY"}}"#)
            #expect(badType.status == 400)
            let badContentType = try await tab.post("sites/SITE/dataQualityWarnings/workbook/\(sales)", #"{"dataQualityWarning":{"type":"WARNING"}}"#)
            #expect(badContentType.status == 400)
            let unknown = try await tab.post("sites/SITE/dataQualityWarnings/datasource/nope", #"{"dataQualityWarning":{"type":"WARNING"}}"#)
            #expect(unknown.status == 404)
            // Only administrators and the data source's owner add warnings.
            let analyst = try await Tab(emulator).analyst()
            #expect(try await analyst.post("sites/SITE/dataQualityWarnings/datasource/\(sales)", #"{"dataQualityWarning":{"type":"WARNING"}}"#).status == 403)
            #expect(try await analyst.get("sites/SITE/dataQualityWarnings/datasource/\(sales)").status == 200)
        }
    }
}
