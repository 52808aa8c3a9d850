import Foundation
import Freshet
@testable import FreshetServer
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// The console over the emulator: health checks, starting refreshes, a run's page, cancelling,
/// live states, freshness, and what a refresh-only token sees.
@Suite struct ConsoleRunTests {
    /// Runs `body` with a signed-in admin browser (and its CSRF token) over the fast refresh seed.
    static func run(_ body: @Sendable (RunFixture, ConsoleBrowser, String) async throws -> Void) async throws {
        try await RunFixture.test { fixture, client in
            let browser = ConsoleBrowser(client: client)
            let csrf = try await browser.signIn(fixture.admin)
            try await body(fixture, browser, csrf)
        }
    }

    /// Starts refreshes of `datasources` through the console's Refresh page; returns the run ids.
    static func refresh(_ names: [String], _ browser: ConsoleBrowser, csrf: String) async throws -> [String] {
        var items: [(String, String)] = []
        for name in names {
            let page = try await browser.get("/refresh?connection=demo&q=\(name)")
            let marker = try #require(page.text.range(of: "value=\"datasource:"), "\(name) is offered")
            let id = page.text[marker.upperBound...].prefix { $0 != "\"" }
            items.append(("item", "datasource:\(id)"))
        }
        let started = try await browser.post("/refresh", ["_csrf": csrf, "connection": "demo"], extra: items)
        #expect(started.status == .ok)
        #expect(started.text.contains("<title>Refreshing · Freshet</title>"))
        return started.text.components(separatedBy: "data-run=\"").dropFirst().map { String($0.prefix { $0 != "\"" }) }
    }

    @Test func healthChecksPassThenFailWithAWrongSecretInTableausWords() async throws {
        try await Self.run { _, browser, csrf in
            let passed = try await browser.post("/connections/demo/check", ["_csrf": csrf])
            #expect(passed.status == .ok)
            for text in [
                "Validate Tableau API Connection", "Successfully connected to Tableau API", "Successfully accessed the default Tableau site",
                "Successfully accessed Tableau content", "All five checks passed.",
            ] { #expect(passed.text.contains(text), "\(text)") }
            #expect(passed.text.contains("PAT can list site users"))
            _ = try await browser.post("/connections/demo", ["_csrf": csrf, "siteContentUrl": "", "patSecret": "wrong-secret-0000"])
            let failed = try await browser.post("/connections/demo/check", ["_csrf": csrf])
            #expect(failed.text.contains("Unable to connect to Tableau API. Please verify your credentials are valid and the server URL is correct."))
            #expect(failed.text.contains("At least one check failed."))
            #expect(failed.text.contains("Tableau said:"))
            #expect(failed.text.contains("Tableau sign-in failed (HTTP 401"))
        }
    }

    @Test func aRefreshStartedInTheConsoleSucceedsAndItsPageShowsTheJob() async throws {
        try await Self.run { fixture, browser, csrf in
            let ids = try await Self.refresh(["Quick"], browser, csrf: csrf)
            #expect(ids.count == 1)
            let runs = try await fixture.api.engine.wait(for: ids, limit: .seconds(20))
            #expect(runs.map(\.state) == [.succeeded])
            let page = try await browser.get("/runs/\(ids[0])")
            #expect(page.text.contains("<title>Run of Quick · Freshet</title>"))
            #expect(page.text.contains(#"<span class="state state-succeeded" data-field="state">succeeded</span>"#))
            #expect(page.text.contains(try #require(runs[0].jobId)))
            #expect(!page.text.contains("Cancel this run"))
            let list = try await browser.get("/runs?state=succeeded&item=quick")
            #expect(list.text.contains(#"data-run="\#(ids[0])""#))
            let none = try await browser.get("/runs?caller=nobody")
            #expect(!none.text.contains(#"data-run="\#(ids[0])""#))
        }
    }

    @Test func aFailedRefreshShowsTableausNotes() async throws {
        try await Self.run { fixture, browser, csrf in
            let ids = try await Self.refresh(["Broken"], browser, csrf: csrf)
            _ = try await fixture.api.engine.wait(for: ids, limit: .seconds(20))
            let page = try await browser.get("/runs/\(ids[0])")
            #expect(page.text.contains("state-failed"))
            #expect(page.text.contains("Login failed for user &#39;etl&#39;."))
        }
    }

    @Test func aHangingRefreshIsCancelledFromItsPage() async throws {
        try await Self.run { fixture, browser, csrf in
            let ids = try await Self.refresh(["Stuck"], browser, csrf: csrf)
            _ = try await fixture.api.engine.wait(for: ids, limit: .seconds(20)) { $0.state == .waiting }
            let page = try await browser.get("/runs/\(ids[0])")
            #expect(page.text.contains("Cancel this run"))
            let refused = try await browser.post("/runs/\(ids[0])/cancel", [:])
            #expect(refused.status == .forbidden)
            let cancel = try await browser.post("/runs/\(ids[0])/cancel", ["_csrf": csrf])
            #expect(cancel.status == .seeOther)
            let runs = try await fixture.api.engine.wait(for: ids, limit: .seconds(20))
            #expect(runs.map(\.state) == [.cancelled])
        }
    }

    @Test func theEventStreamSendsEachStateUntilTheRunEnds() async throws {
        try await Self.run { fixture, browser, csrf in
            let ids = try await Self.refresh(["Quick"], browser, csrf: csrf)
            let stream = try await browser.get("/runs/events?id=\(ids[0])")
            #expect(stream.headers[.contentType] == "text/event-stream")
            #expect(stream.text.hasPrefix("retry: 1000\n\n"))
            #expect(stream.text.contains("event: run\ndata: {"))
            #expect(stream.text.contains(#""state":"succeeded""#))
            let states = try await browser.get("/runs/states?id=\(ids[0])&id=unknown")
            #expect(states.text.contains(#""id":"\#(ids[0])""#))
            #expect(states.text.contains(#""finished":true"#))
            _ = fixture
        }
    }

    @Test func aRefreshOnlyTokenSeesOnlyItsRuns() async throws {
        try await RunFixture.test { fixture, client in
            let admin = ConsoleBrowser(client: client)
            let csrf = try await admin.signIn(fixture.admin)
            let quick = try await Self.refresh(["Quick"], admin, csrf: csrf)
            let broken = try await Self.refresh(["Broken"], admin, csrf: csrf)
            _ = try await fixture.api.engine.wait(for: quick + broken, limit: .seconds(20))
            let secret = try await fixture.token(
                "etl", [.refresh], allow: TokenAllowList(connections: [GlobPattern("demo")], datasources: [GlobPattern("Quick")]))
            let etl = ConsoleBrowser(client: client)
            try await etl.signIn(secret)
            let list = try await etl.get("/runs")
            #expect(list.text.contains(#"data-run="\#(quick[0])""#))
            #expect(!list.text.contains(#"data-run="\#(broken[0])""#))
            #expect(try await etl.get("/runs/\(broken[0])").status == .forbidden)
            #expect(try await etl.get("/runs/\(quick[0])").status == .ok)
            let offered = try await etl.get("/refresh?connection=demo")
            #expect(offered.text.contains(">Quick <"))
            #expect(!offered.text.contains(">Broken <"))
            let events = try await etl.get("/runs/states?id=\(broken[0])")
            #expect(events.text == "[]")
            #expect(try await etl.get("/connections").status == .forbidden)
        }
    }

    @Test func freshnessShowsTheLastSuccessAndAChartOfRecentRefreshes() async throws {
        try await Self.run { fixture, browser, csrf in
            let first = try await Self.refresh(["Quick"], browser, csrf: csrf)
            _ = try await fixture.api.engine.wait(for: first, limit: .seconds(20))
            let broken = try await Self.refresh(["Broken"], browser, csrf: csrf)
            _ = try await fixture.api.engine.wait(for: broken, limit: .seconds(20))
            let page = try await browser.get("/freshness")
            #expect(page.text.contains(#"<svg class="chart" role="img""#))
            #expect(page.text.contains(#"<rect class="bar-succeeded""#))
            #expect(page.text.contains(#"<rect class="bar-failed""#))
            #expect(page.text.contains("Last 1 refreshes of Broken: 0 succeeded, 1 failed or timed out"))
            #expect(page.text.contains(">never<"))  // Broken never succeeded
        }
    }
}
