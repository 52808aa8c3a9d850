import Foundation
import TableauEmulator
import Testing

/// Query Data Source / Workbook Connections, Update Data Source Connection and revisions (issue #21 item 4).
@Suite struct ConnectionTests {
    @Test func dataSourceConnectionsFollowTheUpstreamDatabases() async throws {
        try await withEmulator(seed: Demo.seed()) { emulator in
            let tab = try await Tab(emulator).admin()
            let sales = try await tab.id(of: "datasources", named: "Sales")
            let answer = try await tab.get("sites/SITE/datasources/\(sales)/connections")
            #expect(answer.status == 200, "\(answer)")
            let connections = try answer.json()["connections"]["connection"].items
            #expect(connections.count == 1)
            #expect(connections.first?["type"] == .string("postgres"))
            #expect(connections.first?["serverAddress"] == .string("warehouse.db.example.com"))
            #expect(connections.first?["serverPort"] == .string("5432"))
            #expect(connections.first?["userName"] == .string("freshet"))
            #expect(connections.first?["password"] == .null)

            let inventory = try await tab.id(of: "datasources", named: "Inventory")
            let extract = try await tab.get("sites/SITE/datasources/\(inventory)/connections").json()["connections"]["connection"].items
            #expect(extract.first?["type"] == .string("hyper"))

            let missing = try await tab.get("sites/SITE/datasources/00000000-0000-0000-0000-000000000000/connections")
            #expect(missing.status == 404)
            #expect(Tab.errorCode(missing) == "404011")
        }
    }

    @Test func workbookConnectionsNameTheirPublishedDataSource() async throws {
        try await withEmulator(seed: Demo.seed()) { emulator in
            var tab = try await Tab(emulator).admin()
            let board = try await tab.id(of: "workbooks", named: "Executive Dashboard")
            tab.wantsJSON = false
            let root = try XMLNode.parse(try await tab.get("sites/SITE/workbooks/\(board)/connections").body)
            let connection = try #require(root.first("connection"))
            #expect(connection["type"] == "sqlproxy")
            #expect(connection.first("datasource")?["name"] == "Sales")
        }
    }

    @Test func updateDataSourceConnectionChangesWhatLaterQueriesSee() async throws {
        try await withEmulator(seed: Demo.seed()) { emulator in
            let tab = try await Tab(emulator).admin()
            let sales = try await tab.id(of: "datasources", named: "Sales")
            let list = try await tab.get("sites/SITE/datasources/\(sales)/connections").json()
            let connectionId = try #require(list["connections"]["connection"][0]["id"].stringValue)
            let body = #"<tsRequest><connection serverAddress="db2.example.com" serverPort="6543" userName="etl" password="hunter2" embedPassword="true"/></tsRequest>"#
            let update = try await tab.put("sites/SITE/datasources/\(sales)/connections/\(connectionId)", body)
            #expect(update.status == 200, "\(update)")
            let updated = try update.json()["connection"]
            #expect(updated["serverAddress"] == .string("db2.example.com"))
            #expect(updated["serverPort"] == .string("6543"))
            #expect(updated["userName"] == .string("etl"))
            #expect(!update.body.contains("hunter2"))
            let again = try await tab.get("sites/SITE/datasources/\(sales)/connections").json()
            #expect(again["connections"]["connection"][0]["serverAddress"] == .string("db2.example.com"))

            let unknown = try await tab.put("sites/SITE/datasources/\(sales)/connections/nope", body)
            #expect(unknown.status == 404)
            let badPort = try await tab.put("sites/SITE/datasources/\(sales)/connections/\(connectionId)", #"{"connection":{"serverPort":"high"}}"#)
            #expect(badPort.status == 400)
            // A Creator who does not own the data source may not change it.
            let analyst = try await Tab(emulator).analyst()
            #expect(try await analyst.put("sites/SITE/datasources/\(sales)/connections/\(connectionId)", body).status == 403)
        }
    }

    @Test func revisionsListTheCurrentRevision() async throws {
        try await withEmulator(seed: Demo.seed()) { emulator in
            let tab = try await Tab(emulator).admin()
            let sales = try await tab.id(of: "datasources", named: "Sales")
            let answer = try await tab.get("sites/SITE/datasources/\(sales)/revisions").json()
            #expect(answer["pagination"]["totalAvailable"] == .string("1"))
            let revision = answer["revisions"]["revision"][0]
            #expect(revision["revisionNumber"] == .string("1"))
            #expect(revision["current"] == .string("true"))
            #expect(revision["publisher"]["name"] == .string("admin@example.com"))
            let board = try await tab.id(of: "workbooks", named: "Executive Dashboard")
            #expect(try await tab.get("sites/SITE/workbooks/\(board)/revisions").status == 200)
        }
    }
}
