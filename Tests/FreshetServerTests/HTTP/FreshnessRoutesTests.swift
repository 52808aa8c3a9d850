import Foundation
import Freshet
import FreshetServer
import HTTPTypes
import HummingbirdTesting
import Testing

/// `GET /api/v1/freshness`, the policies routes and the per-item gauges of `/metrics`, over
/// real runs against the emulator.
struct FreshnessRoutesTests {
    /// Refreshes Quick (succeeds) and Broken (fails) and waits for both.
    static func refreshQuickAndBroken(_ fixture: RunFixture, _ client: any TestClientProtocol) async throws {
        let token = try await fixture.token("etl", [.refresh])
        let response = try await client.createRuns(runsBody(#"{"datasource": "Quick"}, {"datasource": "Broken"}"#, extra: #""waitSeconds": 30"#), token: token)
        #expect(response.runs.compactMap { $0["state"] as? String }.sorted() == ["failed", "succeeded"])
    }

    @Test func freshnessShowsLastSuccessAgeAndTableausReasonWithFilters() async throws {
        try await RunFixture.test { fixture, client in
            try await Self.refreshQuickAndBroken(fixture, client)
            let all = try await client.call(.get, "/api/v1/freshness", token: fixture.admin)
            #expect(all.status == .ok)
            let items = all.object["items"] as? [[String: Any]] ?? []
            #expect(items.compactMap { $0["itemName"] as? String }.sorted() == ["Broken", "Quick"])
            let quick = try #require(items.first { $0["itemName"] as? String == "Quick" })
            #expect(quick["stale"] as? Bool == false && quick["connection"] as? String == "demo" && quick["project"] as? String == "Default")
            #expect((quick["ageSeconds"] as? Int).map { $0 >= 0 && $0 < 60 } == true && quick["lastSuccessAt"] is String)
            let broken = try #require(items.first { $0["itemName"] as? String == "Broken" })
            #expect(broken["stale"] as? Bool == true && broken["staleReason"] as? String == "neverSucceeded")
            #expect((broken["lastFailureReason"] as? String)?.contains("Login failed for user 'etl'") == true && broken["lastSuccessAt"] == nil)

            let stale = try await client.call(.get, "/api/v1/freshness?stale=true&connection=demo", token: fixture.admin)
            #expect((stale.object["items"] as? [[String: Any]])?.compactMap { $0["itemName"] as? String } == ["Broken"])
            let finance = try await client.call(.get, "/api/v1/freshness?project=Finance", token: fixture.admin)
            #expect((finance.object["items"] as? [[String: Any]])?.compactMap { $0["itemName"] as? String } == ["Broken"])
            #expect(try await client.call(.get, "/api/v1/freshness?connection=nope", token: fixture.admin).status == .notFound)
            #expect(try await client.call(.get, "/api/v1/freshness?stale=maybe", token: fixture.admin).status == .badRequest)
            #expect(try await client.call(.get, "/api/v1/freshness?owner=me", token: fixture.admin).status == .badRequest)
        }
    }

    @Test func aRefreshOnlyTokenSeesOnlyItsAllowList() async throws {
        try await RunFixture.test { fixture, client in
            try await Self.refreshQuickAndBroken(fixture, client)
            let limited = try await fixture.token("quick-only", [.refresh], allow: TokenAllowList(connections: [GlobPattern("demo")], datasources: [GlobPattern("Quick")]))
            let answer = try await client.call(.get, "/api/v1/freshness", token: limited)
            #expect((answer.object["items"] as? [[String: Any]])?.compactMap { $0["itemName"] as? String } == ["Quick"])
            let none = try await fixture.token("audit-only", [.auditRead])
            #expect(try await client.call(.get, "/api/v1/freshness", token: none).status == .forbidden)
        }
    }

    @Test func policiesAreSetListedAndRemovedByAdminsOnly() async throws {
        try await RunFixture.test { fixture, client in
            try await Self.refreshQuickAndBroken(fixture, client)
            let reader = try await fixture.token("reader", [.read])
            let body = #"{"connection": "demo", "project": "Default", "maxAgeSeconds": 3600}"#
            #expect(try await client.call(.put, "/api/v1/freshness/policies", token: reader, body: body).status == .forbidden)
            let set = try await client.call(.put, "/api/v1/freshness/policies", token: fixture.admin, body: body)
            #expect(set.status == .ok && set.object["scope"] as? String == "project" && set.object["maxAgeSeconds"] as? Int == 3600)
            let item = #"{"connection": "demo", "itemType": "datasource", "item": "Quick", "maxAgeSeconds": 600}"#
            #expect(try await client.call(.put, "/api/v1/freshness/policies", token: fixture.admin, body: item).object["itemName"] as? String == "Quick")
            let unknown = #"{"connection": "demo", "itemType": "datasource", "item": "Nope", "maxAgeSeconds": 600}"#
            #expect(try await client.call(.put, "/api/v1/freshness/policies", token: fixture.admin, body: unknown).status == .notFound)
            let bad = #"{"connection": "demo", "maxAgeSeconds": 0}"#
            #expect(try await client.call(.put, "/api/v1/freshness/policies", token: fixture.admin, body: bad).status == .badRequest)
            let extra = #"{"connection": "demo", "maxAgeSeconds": 60, "color": "red"}"#
            #expect(try await client.call(.put, "/api/v1/freshness/policies", token: fixture.admin, body: extra).status == .badRequest)

            let listed = try await client.call(.get, "/api/v1/freshness/policies", token: reader)
            #expect((listed.object["policies"] as? [[String: Any]])?.count == 2)
            let quick = try await client.call(.get, "/api/v1/freshness?connection=demo", token: reader)
            let view = (quick.object["items"] as? [[String: Any]])?.first { $0["itemName"] as? String == "Quick" }
            #expect(view?["maxAgeSeconds"] as? Int == 600 && view?["policyScope"] as? String == "item")

            let removed = try await client.call(.delete, "/api/v1/freshness/policies?connection=demo&project=Default", token: fixture.admin)
            #expect(removed.status == .ok)
            #expect(try await client.call(.delete, "/api/v1/freshness/policies?connection=demo&project=Default", token: fixture.admin).status == .notFound)
            let audit = try await fixture.runtime.store.events(AuditQuery(action: "freshness."))
            #expect(audit.map(\.action) == ["freshness.policyRemoved", "freshness.policySet", "freshness.policySet"])
        }
    }

    @Test func metricsCarryAnAgeAndAStaleFlagPerItem() async throws {
        try await RunFixture.test { fixture, client in
            try await Self.refreshQuickAndBroken(fixture, client)
            let text = try await client.call(.get, "/metrics").text
            #expect(text.contains(#"freshet_item_stale{connection="demo",project="Finance",type="datasource",item="Broken"} 1"#))
            #expect(text.contains(#"freshet_item_stale{connection="demo",project="Default",type="datasource",item="Quick"} 0"#))
            #expect(text.contains(#"freshet_item_freshness_age_seconds{connection="demo",project="Default",type="datasource",item="Quick"} "#))
            #expect(!text.contains(#"freshet_item_freshness_age_seconds{connection="demo",project="Finance""#))
            #expect(text.contains(#"freshet_freshness_items{state="stale"} 1"#) && text.contains("freshet_freshness_items_unlisted 0"))
            #expect(text.contains(#"freshet_freshness_transitions_total{to="stale"} 0"#))
        }
    }
}
