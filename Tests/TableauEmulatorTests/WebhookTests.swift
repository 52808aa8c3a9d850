import Foundation
import NIOHTTP1
import TableauEmulator
import Testing

/// Webhooks: create, list, get, delete, and deliveries when refreshes end (REST-API.md §13).
@Suite struct WebhookTests {
    func createBody(name: String, event: String, url: String) -> String {
        #"<tsRequest><webhook name="\#(name)" isEnabled="true" event="\#(event)"><webhook-destination><webhook-destination-http method="POST" url="\#(url)"/></webhook-destination></webhook></tsRequest>"#
    }

    @Test func createListGetDelete() async throws {
        try await withEmulator(seed: Demo.seed()) { emulator in
            var admin = try await Tab(emulator).admin()
            admin.wantsJSON = false
            let created = try await admin.post(
                "sites/SITE/webhooks", createBody(name: "wh1", event: "DatasourceRefreshFailed", url: "https://hooks.example.com/tableau")
            )
            #expect(created.status == 201)
            let hook = try #require(try XMLNode.parse(created.body).first("webhook"))
            let id = try #require(hook["id"])
            #expect(hook["name"] == "wh1")
            #expect(hook["isEnabled"] == "true")
            #expect(hook.first("webhook-destination-http")?["url"] == "https://hooks.example.com/tableau")
            #expect(hook.first("webhook-source-event-datasource-refresh-failed") != nil)
            #expect(hook.first("owner")?["id"] == admin.userId)

            // The older webhook-source form, in JSON.
            admin.wantsJSON = true
            let older = try await admin.post(
                "sites/SITE/webhooks",
                #"{"webhook":{"name":"wh2","webhook-source":{"webhook-source-event-workbook-refresh-succeeded":{}},"webhook-destination":{"webhook-destination-http":{"method":"POST","url":"https://hooks.example.com/2"}}}}"#
            )
            #expect(older.status == 201)
            #expect(try older.json()["webhook"]["event"] == .string("WorkbookRefreshSucceeded"))
            #expect(try older.json()["webhook"]["isEnabled"] == .bool(true))

            let list = try await admin.get("sites/SITE/webhooks").json()["webhooks"]["webhook"].items
            #expect(list.compactMap { $0["name"].stringValue } == ["wh1", "wh2"])
            #expect(try await admin.get("sites/SITE/webhooks/\(id)").json()["webhook"]["name"] == .string("wh1"))
            #expect(try await admin.delete("sites/SITE/webhooks/\(id)").status == 204)
            #expect(try await admin.get("sites/SITE/webhooks/\(id)").status == 404)
            #expect(try await admin.get("sites/SITE/webhooks").json()["webhooks"]["webhook"].items.count == 1)
        }
    }

    @Test(arguments: [
        ("NoSuchEvent", "https://hooks.example.com/x"),
        ("DatasourceRefreshFailed", "http://hooks.example.com/plain-http"),
        ("DatasourceRefreshFailed", "not a url"),
    ])
    func invalidWebhooksAre400(event: String, url: String) async throws {
        try await withEmulator(seed: Demo.seed()) { emulator in
            let admin = try await Tab(emulator).admin()
            let answer = try await admin.post("sites/SITE/webhooks", createBody(name: "bad", event: event, url: url))
            #expect(answer.status == 400)
            #expect(Tab.errorCode(answer) == "400000")
        }
    }

    @Test func onlyAdministratorsManageWebhooks() async throws {
        try await withEmulator(seed: Demo.seed()) { emulator in
            let analyst = try await Tab(emulator).analyst()
            #expect(try await analyst.get("sites/SITE/webhooks").status == 403)
            let answer = try await analyst.post(
                "sites/SITE/webhooks", createBody(name: "x", event: "DatasourceRefreshFailed", url: "https://hooks.example.com/x")
            )
            #expect(answer.status == 403)
        }
    }

    @Test func refreshOutcomesArePostedToTheDestination() async throws {
        try await withWebhookReceiver { port, posts in
            let (clock, configuration) = Demo.manual()
            try await withEmulator(seed: Demo.seed(), configuration: configuration) { emulator in
                let admin = try await Tab(emulator).admin()
                for (event, path) in [("DatasourceRefreshSucceeded", "ok"), ("DatasourceRefreshFailed", "failed")] {
                    let answer = try await admin.post(
                        "sites/SITE/webhooks", createBody(name: event, event: event, url: "http://127.0.0.1:\(port)/\(path)")
                    )
                    try #require(answer.status == 201, "\(answer)")
                }
                let sales = try await admin.id(of: "datasources", named: "Sales")
                #expect(try await admin.post("sites/SITE/datasources/\(sales)/refresh", "{}").status == 202)
                // Start the job at t=0, then finish it (Sales takes 3 seconds).
                #expect(try await admin.get("sites/SITE/jobs").status == 200)
                #expect(try await emulator.admin(.POST, "clock/advance", #"{"seconds": 3}"#).status == 200)

                let success = try await next(posts, within: 20)
                #expect(success.path == "/ok")
                #expect(success.userAgent == "Tableau-Webhooks")
                #expect(success.contentType == "application/json")
                let payload = try JSON.parse(success.body)
                #expect(payload["event_type"] == .string("DatasourceRefreshSucceeded"))
                #expect(payload["resource"] == .string("DATASOURCE"))
                #expect(payload["resource_name"] == .string("Sales"))
                #expect(payload["resource_luid"].stringValue == sales)
                #expect(payload["site_luid"].stringValue == admin.siteId)
                #expect(payload["created_at"] == .string("2026-01-01T00:00:03Z"))

                let orders = try await admin.id(of: "datasources", named: "Orders")
                #expect(try await admin.post("sites/SITE/datasources/\(orders)/refresh", "{}").status == 202)
                clock.advance(by: 2)
                #expect(try await admin.get("sites/SITE/jobs").status == 200)
                let failure = try await next(posts, within: 20)
                #expect(failure.path == "/failed")
                let failed = try JSON.parse(failure.body)
                #expect(failed["event_type"] == .string("DatasourceRefreshFailed"))
                #expect(failed["resource_name"] == .string("Orders"))
            }
        }
    }
}
