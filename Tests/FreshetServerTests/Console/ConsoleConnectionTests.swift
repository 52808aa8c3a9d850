import Foundation
import Freshet
@testable import FreshetServer
import Hummingbird
import HummingbirdTesting
import Testing

/// The "Configure Tableau" form: Serval's labels and helper texts, every required message at
/// once, normalisation, and the edit semantics of ConnectionService.
@Suite struct ConsoleConnectionTests {
    static let labels = [
        ("serverUrl", "Server URL", ConnectionForm.serverHelp),
        ("siteContentUrl", "Site Content URL", ConnectionForm.siteHelp),
        ("patName", "Personal Access Token Name", ConnectionForm.patNameHelp),
        ("patSecret", "Personal Access Token Secret", ConnectionForm.patSecretHelp),
    ]

    @Test func theConnectFormHasServalsFourFieldsWordForWord() async throws {
        try await ConsoleTest.run { fixture, browser in
            try await browser.signIn(fixture.adminToken)
            let page = try await browser.get("/connections/new")
            #expect(page.status == .ok)
            #expect(page.text.contains(#"Configure Tableau <span class="badge">Beta</span>"#))
            for (id, label, help) in Self.labels {
                #expect(page.text.contains(#"<label for="\#(id)">\#(label)</label>"#))
                #expect(page.element(id: "\(id)-help") == help)
            }
            #expect(page.element(id: "serverUrl-help") == "Your Tableau server URL (without https://). For Tableau Cloud, this is typically something like 10ax.online.tableau.com. For Tableau Server, use your server’s hostname.")
            #expect(page.element(id: "patName-help") == "The name of your Tableau Personal Access Token. Create one in Tableau under My Account Settings > Personal Access Tokens.")
            let app = try await browser.get("/connections/new?auth=connected-app")
            #expect(app.text.contains(#"<label for="clientId">"#))
            #expect(!app.text.contains(#"<label for="patName">"#))
        }
    }

    @Test func blankRequiredFieldsShowEveryMessageAtOnceKeepingWhatWasTyped() async throws {
        try await ConsoleTest.run { fixture, browser in
            let csrf = try await browser.signIn(fixture.adminToken)
            let answer = try await browser.post("/connections", ["_csrf": csrf, "auth": "pat", "serverUrl": " ", "siteContentUrl": "finance", "patName": "", "patSecret": ""])
            #expect(answer.status == .unprocessableContent)
            #expect(answer.element(id: "serverUrl-error") == "Server URL is required")
            #expect(answer.element(id: "patName-error") == "Personal Access Token name is required")
            #expect(answer.element(id: "patSecret-error") == "Personal Access Token secret is required")
            #expect(answer.text.contains(#"id="siteContentUrl" name="siteContentUrl" type="text" value="finance""#))
            let partly = try await browser.post("/connections", ["_csrf": csrf, "auth": "pat", "serverUrl": "tableau.example.com", "patName": "freshet", "patSecret": ""])
            #expect(partly.element(id: "serverUrl-error") == nil)
            #expect(partly.element(id: "patSecret-error") == "Personal Access Token secret is required")
            #expect(partly.text.contains(#"value="freshet""#))
            #expect(try await fixture.runtime.connections.list().isEmpty)
        }
    }

    @Test func creatingNormalisesThePastedURLAndEditingFollowsTheServiceRules() async throws {
        try await ConsoleTest.run { fixture, browser in
            let csrf = try await browser.signIn(fixture.adminToken)
            let created = try await browser.post(
                "/connections",
                ["_csrf": csrf, "auth": "pat", "name": "prod", "serverUrl": "https://Tableau.Example.com/", "siteContentUrl": "finance",
                 "patName": "freshet pat", "patSecret": "first-secret-abcd"])
            #expect(created.status == .seeOther)
            var stored = try await fixture.runtime.connections.show(named: "prod")
            #expect(stored.serverURL == "https://tableau.example.com")
            let list = try await browser.get("/connections")
            #expect(list.text.contains("••••••••abcd"))
            #expect(!list.text.contains("first-secret-abcd"))

            let edit = try await browser.get("/connections/prod/edit")
            #expect(edit.text.contains(#"value="freshet pat""#))  // the PAT name in full
            #expect(edit.element(id: "patSecret-current") == "••••••••abcd")
            #expect(edit.text.contains(#"<summary id="patSecret-pencil">"#))

            // Blank server URL and PAT name keep what is stored; an untouched secret is kept.
            let kept = try await browser.post("/connections/prod", ["_csrf": csrf, "serverUrl": "", "siteContentUrl": "finance", "patName": ""])
            #expect(kept.status == .seeOther)
            stored = try await fixture.runtime.connections.show(named: "prod")
            #expect(stored.serverURL == "https://tableau.example.com")
            #expect(stored.patName == "freshet pat")
            #expect(stored.secretMasked == "••••••••abcd")

            // A new secret replaces it; an empty site switches to the Default site.
            _ = try await browser.post("/connections/prod", ["_csrf": csrf, "siteContentUrl": "", "patSecret": "second-secret-wxyz"])
            stored = try await fixture.runtime.connections.show(named: "prod")
            #expect(stored.secretMasked == "••••••••wxyz")
            #expect(stored.siteContentUrl == "")
            #expect(stored.displayName == "tableau.example.com · Default site")
            #expect(try await browser.get("/connections").text.contains("tableau.example.com · Default site"))
        }
    }

    @Test func deletingAsksFirst() async throws {
        try await ConsoleTest.run { fixture, browser in
            let csrf = try await browser.signIn(fixture.adminToken)
            _ = try await fixture.addConnection("old")
            let confirm = try await browser.get("/connections/old/delete")
            #expect(confirm.text.contains("<title>Delete old? · Freshet</title>"))
            #expect(try await fixture.runtime.store.connection(named: "old") != nil)
            let deleted = try await browser.post("/connections/old/delete", ["_csrf": csrf])
            #expect(deleted.headers[.location] == "/connections?deleted=old")
            #expect(try await fixture.runtime.store.connection(named: "old") == nil)
        }
    }

    @Test func aRefreshOnlyTokenSeesNoConnectionsNorAdminPages() async throws {
        try await ConsoleTest.run { fixture, browser in
            _ = try await fixture.addConnection("prod")
            let secret = try await fixture.token("etl", [.refresh], allow: TokenAllowList(connections: [GlobPattern("prod")], projects: [GlobPattern("*")]))
            try await browser.signIn(secret)
            for path in ["/connections", "/connections/new", "/connections/prod/edit", "/tokens", "/audit", "/audit.csv", "/access-events"] {
                let page = try await browser.get(path)
                #expect(page.status == .forbidden, "\(path)")
                #expect(page.text.contains("<title>Not allowed · Freshet</title>"), "\(path)")
                #expect(!page.text.contains("••••"), "\(path)")
            }
            let runs = try await browser.get("/runs")
            #expect(runs.status == .ok)
            #expect(!runs.text.contains(#"href="/connections""#))
            #expect(!runs.text.contains(#"href="/tokens""#))
            let denials = try await fixture.runtime.store.events(AuditQuery(actor: "token:etl", action: "api.denied"))
            #expect(denials.count >= 6)
        }
    }

    @Test func problemsAreFoundAllAtOnceWithTheEnginesWords() {
        let problems = ConnectionForm.problems(ConnectionDraft(name: "x", serverURL: "", siteContentUrl: "a/b", patName: " ", patSecret: nil))
        #expect(problems == [
            "serverUrl": "Server URL is required", "siteContentUrl": "Site content URL is the part after /site/ in Tableau's URLs, without slashes or spaces",
            "patName": "Personal Access Token name is required", "patSecret": "Personal Access Token secret is required",
        ])
        #expect(ConnectionForm.problems(ConnectionDraft(name: "x", serverURL: "h", patName: "n", patSecret: "s")).isEmpty)
    }
}
