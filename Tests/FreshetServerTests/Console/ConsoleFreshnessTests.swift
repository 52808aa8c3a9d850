import Foundation
import Freshet
import FreshetServer
import HTTPTypes
import HummingbirdTesting
import Testing

/// The console's `/freshness` page reads the freshness store: the same items, stale flags and
/// reasons as `GET /api/v1/freshness`, with Tableau's failure reason, a pipeline's reported
/// failure and the governing policy — not a view derived from runs.
@Suite struct ConsoleFreshnessTests {
    /// The page's rows: item name → the row's HTML.
    static func rows(_ html: String) -> [String: String] {
        var rows: [String: String] = [:]
        for chunk in html.components(separatedBy: #"<tr data-item=""#).dropFirst() {
            let name = String(chunk.prefix { $0 != "\"" })
            rows[name] = String(chunk.prefix { $0 != "\n" }).components(separatedBy: "</tr>")[0]
        }
        return rows
    }

    @Test func freshnessShowsWhatTheStoreKnowsLikeTheAPIAndFilters() async throws {
        try await ConsoleRunTests.run { fixture, browser, csrf in
            let quick = try await ConsoleRunTests.refresh(["Quick"], browser, csrf: csrf)
            _ = try await fixture.api.engine.wait(for: quick, limit: .seconds(20))
            let broken = try await ConsoleRunTests.refresh(["Broken"], browser, csrf: csrf)
            _ = try await fixture.api.engine.wait(for: broken, limit: .seconds(20))
            let client = browser.client
            let policy = #"{"connection": "demo", "project": "Default", "maxAgeSeconds": 3600}"#
            #expect(try await client.call(.put, "/api/v1/freshness/policies", token: fixture.admin, body: policy).status == .ok)
            // A pipeline failure upstream of Quick (and of items Freshet never refreshed: they appear too).
            let event =
                #"{"eventId": "e1", "connection": "demo", "pipeline": "nightly_orders", "status": "failed", "reason": "load failed", "#
                + #""tables": ["warehouse.public.orders"]}"#
            #expect(try await client.call(.post, "/api/v1/pipeline-events", token: fixture.admin, body: event).status == .ok)

            let page = try await browser.get("/freshness")
            #expect(page.status == .ok)
            let rows = Self.rows(page.text)
            let api = try await client.call(.get, "/api/v1/freshness", token: fixture.admin)
            let apiItems = (api.object["items"] as? [[String: Any]]) ?? []
            #expect(Set(rows.keys) == Set(apiItems.compactMap { $0["itemName"] as? String }))
            #expect(Set(rows.keys) == ["Board", "Broken", "Live", "Live Board", "Quick"])
            let brokenRow = try #require(rows["Broken"])
            #expect(brokenRow.contains("Stale: never refreshed"))
            #expect(brokenRow.contains("Login failed for user"))  // Tableau's reason
            #expect(brokenRow.contains(">never<"))
            let quickRow = try #require(rows["Quick"])
            #expect(quickRow.contains("Stale: pipeline failed"))
            #expect(quickRow.contains("Pipeline nightly_orders failed at") && quickRow.contains(": load failed"))
            #expect(quickRow.contains(#"<td data-field="policy">1 h 0 min (project)</td>"#))
            #expect(quickRow.contains(#"<rect class="bar-succeeded""#))
            #expect(!quickRow.contains(">never<"))
            #expect(page.text.contains(#"<p class="muted" data-field="stale-count">5 stale</p>"#))

            // The pipeline's success clears Quick: fresh again, the others still never refreshed.
            let cleared = event.replacingOccurrences(of: #""e1""#, with: #""e2""#).replacingOccurrences(of: #""failed""#, with: #""succeeded""#)
            #expect(try await client.call(.post, "/api/v1/pipeline-events", token: fixture.admin, body: cleared).status == .ok)
            let after = Self.rows(try await browser.get("/freshness").text)
            #expect(after["Quick"]?.contains(">Fresh<") == true)
            #expect(after["Quick"]?.contains("Pipeline nightly_orders") == false)

            let staleFinance = try await browser.get("/freshness?project=Finance&stale=true")
            #expect(Set(Self.rows(staleFinance.text).keys) == ["Board", "Broken"])
            #expect(staleFinance.text.contains(#"name="stale" type="checkbox" value="true" checked"#))
            let fresh = try await browser.get("/freshness?connection=demo&project=Default&stale=true")
            #expect(Self.rows(fresh.text)["Quick"] == nil)
            let unknown = try await browser.get("/freshness?connection=nope")
            #expect(unknown.status == .ok && unknown.text.contains("No connection is named nope.") && Self.rows(unknown.text).isEmpty)
        }
    }

    @Test func aRefreshOnlyTokenSeesOnlyTheFreshnessOfItsAllowList() async throws {
        try await ConsoleRunTests.run { fixture, browser, csrf in
            let runs = try await ConsoleRunTests.refresh(["Quick", "Broken"], browser, csrf: csrf)
            _ = try await fixture.api.engine.wait(for: runs, limit: .seconds(20))
            let secret = try await fixture.token(
                "etl", [.refresh], allow: TokenAllowList(connections: [GlobPattern("demo")], datasources: [GlobPattern("Quick")]))
            let etl = ConsoleBrowser(client: browser.client)
            try await etl.signIn(secret)
            #expect(Set(Self.rows(try await etl.get("/freshness").text).keys) == ["Quick"])
            #expect(Set(Self.rows(try await browser.get("/freshness").text).keys) == ["Broken", "Quick"])
        }
    }
}
