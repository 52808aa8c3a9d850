import Foundation
import Freshet
@testable import FreshetServer
import Hummingbird
import HummingbirdTesting
import Testing

/// API tokens, the audit log and its CSV export, and the renderers' escaping.
@Suite struct ConsoleAdminTests {
    @Test func aTokenIsCreatedShownOnceListedAndRevoked() async throws {
        try await ConsoleTest.run { fixture, browser in
            let csrf = try await browser.signIn(fixture.adminToken)
            let created = try await browser.post("/tokens", ["_csrf": csrf, "name": "airflow", "connections": "prod", "projects": "Finance"], extra: [("scope", "refresh"), ("scope", "read")])
            #expect(created.status == .created)
            let secret = try #require(created.element(id: "created-secret"))
            #expect(secret.hasPrefix("fsh_"))
            let token = try await fixture.runtime.tokens.authenticate(secret)
            #expect(token.scopes == [.refresh, .read])
            #expect(token.allowList.connections.map(\.description) == ["prod"])
            let list = try await browser.get("/tokens")
            #expect(list.text.contains("airflow"))
            #expect(!list.text.contains(secret))
            let revoked = try await browser.post("/tokens/airflow/revoke", ["_csrf": csrf])
            #expect(revoked.headers[.location] == "/tokens?revoked=airflow")
            await #expect(throws: AuthenticationFailure.revoked) { try await fixture.runtime.tokens.authenticate(secret) }
            let invalid = try await browser.post("/tokens", ["_csrf": csrf, "name": "nothing"])
            #expect(invalid.status == .unprocessableContent)
            #expect(invalid.text.contains("A token needs at least one scope (or admin)"))
        }
    }

    @Test func theAuditLogFiltersAndExportsCSV() async throws {
        try await ConsoleTest.run { fixture, browser in
            try await browser.signIn(fixture.adminToken)
            _ = try await fixture.addConnection("prod")
            let page = try await browser.get("/audit?action=connection.&outcome=success")
            #expect(page.text.contains("connection.created"))
            #expect(!page.text.contains("console.signin"))
            #expect(page.text.contains(#"href="/audit.csv?action=connection.&amp;outcome=success""#))
            let csv = try await browser.get("/audit.csv?action=connection.")
            #expect(csv.headers[.contentType] == "text/csv; charset=utf-8")
            let lines = csv.text.split(separator: "\r\n")
            #expect(lines.first == "time,actor,action,target,outcome,details")
            #expect(lines.count == 2)
            #expect(lines[1].contains(",test,connection.created,prod,success,"))
            let all = try await browser.get("/audit")
            #expect(all.text.contains("console.signin"))
        }
    }

    @Test func csvFieldsAreQuotedAndFormulasDefused() {
        #expect(AuditPages.csvField("plain") == "plain")
        #expect(AuditPages.csvField("a,b") == "\"a,b\"")
        #expect(AuditPages.csvField("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(AuditPages.csvField("=HYPERLINK(1)") == "'=HYPERLINK(1)")
    }

    @Test func theChartEscapesNamesAndScalesBarsToTheLongestRun() {
        let start = Date(timeIntervalSince1970: 1_000_000)
        func run(_ state: RunState, seconds: Double) -> Run {
            var run = Run(connectionId: "c", target: "t", item: RunItem(contentType: .datasource, tableauId: "i", name: "<Sales & Co>"), actor: "a", createdAt: start)
            run.state = state
            run.updatedAt = start.addingTimeInterval(seconds)
            return run
        }
        let svg = FreshnessPage.chart([run(.succeeded, seconds: 10), run(.failed, seconds: 5), run(.waiting, seconds: 1)], name: "<Sales & Co>")
        #expect(svg.contains("aria-label=\"Last 3 refreshes of &lt;Sales &amp; Co&gt;: 1 succeeded, 1 failed or timed out\""))
        #expect(svg.contains(#"<rect class="bar-succeeded" x="0" y="2" width="12" height="38">"#))
        #expect(svg.contains(#"<rect class="bar-failed" x="15" y="21" width="12" height="19">"#))
        #expect(svg.contains(#"<rect class="bar-waiting" x="30" y="37" width="12" height="3">"#))
        #expect(!svg.contains("<Sales"))
    }

    @Test func templatesEscapeWhatPeopleTyped() async throws {
        try await ConsoleTest.run { fixture, browser in
            let csrf = try await browser.signIn(fixture.adminToken)
            let answer = try await browser.post("/connections", ["_csrf": csrf, "auth": "pat", "serverUrl": "\"><script>alert(1)</script>", "patName": "<b>x</b>"])
            #expect(!answer.text.contains("<script>alert(1)</script>"))
            #expect(answer.text.contains("&lt;b&gt;x&lt;/b&gt;"))
        }
    }
}

/// Access events as recorded, and the connected-app variant of the connect form.
@Suite struct ConsoleAccessAndAppTests {
    @Test func accessEventsShowTheirOutcomeAndFilterByStatus() async throws {
        try await ConsoleTest.run { fixture, browser in
            let connection = try await fixture.addConnection("prod")
            let now = Date()
            for (index, status) in [AccessEventStatus.applied, .refused].enumerated() {
                var record = AccessEventRecord(
                    connectionId: connection.id, connectionName: "prod", eventId: "evt-\(index)", type: .granted, user: "ann@example.com",
                    role: "Explorer", actor: "token:idp", receivedAt: now)
                _ = try await fixture.runtime.store.claimAccessEvent(record, holder: "test", claimUntil: now.addingTimeInterval(60), now: now)
                record.status = status
                record.message = status == .applied ? "Site role set to Explorer" : "ann@example.com has never signed in to Tableau"
                record.previousRole = status == .applied ? "Viewer" : nil
                record.newRole = status == .applied ? "Explorer" : nil
                record.completedAt = now
                #expect(try await fixture.runtime.store.completeAccessEvent(record, holder: "test"))
            }
            try await browser.signIn(fixture.adminToken)
            let page = try await browser.get("/access-events")
            #expect(page.status == .ok)
            #expect(page.text.contains("<td>applied</td>"))
            #expect(page.text.contains("Viewer → Explorer"))
            #expect(page.text.contains("has never signed in to Tableau"))
            let refused = try await browser.get("/access-events?status=refused")
            #expect(!refused.text.contains("<td>applied</td>"))
            #expect(refused.text.contains("<td>refused</td>"))
        }
    }

    @Test func aConnectedAppConnectionIsCreatedAndEditedWithoutItsSecretShown() async throws {
        try await ConsoleTest.run { fixture, browser in
            let csrf = try await browser.signIn(fixture.adminToken)
            let missing = try await browser.post("/connections", ["_csrf": csrf, "auth": "connected-app", "serverUrl": "tableau.example.com"])
            #expect(missing.element(id: "clientId-error") == "Connected app client ID is required")
            #expect(missing.element(id: "secretValue-error") == "Connected app secret value is required")
            #expect(missing.element(id: "username-error") == "Connected app username is required")
            let created = try await browser.post(
                "/connections",
                ["_csrf": csrf, "auth": "connected-app", "name": "cloud", "serverUrl": "10ax.online.tableau.com", "siteContentUrl": "acme",
                 "clientId": "client-1", "secretId": "secret-id-1", "secretValue": "app-secret-value-0123456789abcdef-9876", "username": "svc@acme.com"])
            #expect(created.status == .seeOther)
            let edit = try await browser.get("/connections/cloud/edit")
            #expect(edit.text.contains(#"value="client-1""#))
            #expect(edit.element(id: "secretValue-current") == "••••••••9876")
            #expect(!edit.text.contains("app-secret-value-0123456789abcdef-9876"))
            _ = try await browser.post("/connections/cloud", ["_csrf": csrf, "siteContentUrl": "acme", "username": "other@acme.com"])
            let stored = try await fixture.runtime.connections.show(named: "cloud")
            #expect(stored.username == "other@acme.com")
            #expect(stored.clientId == "client-1")
            #expect(stored.secretMasked == "••••••••9876")
        }
    }
}

@Test func refreshCheckboxesNameTheItemByProjectAndName() throws {
    let item = RefreshableItem(item: RunItem(contentType: .workbook, tableauId: "wb-1", name: "Q3: Sales/EMEA"), projectName: "Finance & Ops", hasExtracts: true)
    let value = RefreshPages.value(item)
    #expect(RefreshPages.target(value) == .workbook("Q3: Sales/EMEA", project: "Finance & Ops"))
    let noProject = RefreshableItem(item: RunItem(contentType: .datasource, tableauId: "ds-1", name: "Sales"), projectName: nil, hasExtracts: true)
    #expect(RefreshPages.target(RefreshPages.value(noProject)) == .datasource("Sales", project: nil))
    #expect(RefreshPages.target("datasource::") == nil)
}
