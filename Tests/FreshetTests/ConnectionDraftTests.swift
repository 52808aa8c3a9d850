import Foundation
import Testing
import Freshet

@Suite struct ConnectionDraftTests {
    let pat = ConnectionDraft(name: "prod", serverURL: "https://tableau.example.com/", siteContentUrl: "marketing", patName: "freshet", patSecret: "abcdef123456WXYZ")

    @Test func addNormalisesTheServerURL() throws {
        let (connection, secret) = try pat.validatedForAdd()
        #expect(connection.server.host == "tableau.example.com" && !connection.server.usesHTTP)
        #expect(connection.server.baseURL == "https://tableau.example.com")
        #expect(secret == "abcdef123456WXYZ")
        #expect(connection.displayName == "tableau.example.com · site marketing")
    }

    @Test(arguments: [
        (ConnectionDraft(name: "a", serverURL: "", patName: "n", patSecret: "s"), "Server URL is required"),
        (ConnectionDraft(name: "a", serverURL: "   ", patName: "n", patSecret: "s"), "Server URL is required"),
        (ConnectionDraft(name: "a", serverURL: "host", patName: "", patSecret: "s"), "Personal Access Token name is required"),
        (ConnectionDraft(name: "a", serverURL: "host", patName: "n", patSecret: nil), "Personal Access Token secret is required"),
        (ConnectionDraft(name: "a", serverURL: "host", connectedApp: .init(secretId: "s", secretValue: "v", username: "u")), "Connected app client ID is required"),
        (ConnectionDraft(name: "a", serverURL: "host", connectedApp: .init(clientId: "c", secretValue: "v", username: "u")), "Connected app secret ID is required"),
        (ConnectionDraft(name: "a", serverURL: "host", connectedApp: .init(clientId: "c", secretId: "s", username: "u")), "Connected app secret value is required"),
        (ConnectionDraft(name: "a", serverURL: "host", connectedApp: .init(clientId: "c", secretId: "s", secretValue: "v")), "Connected app username is required"),
        (ConnectionDraft(name: "a", serverURL: "http://tableau.example.com", patName: "n", patSecret: "s"), "Server URL uses http, which is allowed only for loopback hosts; use https or pass the insecure-http option"),
    ])
    func requiredFieldMessagesAreExact(draft: ConnectionDraft, message: String) {
        #expect { try draft.validatedForAdd() } throws: { ($0 as? ValidationError)?.message == message }
    }

    @Test func httpIsKeptForLoopbackOrWhenAllowed() throws {
        let local = ConnectionDraft(name: "a", serverURL: "http://127.0.0.1:8800/", patName: "n", patSecret: "s")
        #expect(try local.validatedForAdd().0.server.baseURL == "http://127.0.0.1:8800")
        let allowed = ConnectionDraft(name: "a", serverURL: "http://tableau.internal", allowInsecureHTTP: true, patName: "n", patSecret: "s")
        #expect(try allowed.validatedForAdd().0.server.usesHTTP)
    }

    @Test func blankServerAndPATNameKeepStoredValues() throws {
        let (stored, _) = try pat.validatedForAdd()
        let edit = ConnectionDraft(name: "prod", serverURL: "", siteContentUrl: "marketing", patName: "  ", patSecret: nil)
        let (edited, newSecret, changed) = try edit.applied(to: stored)
        #expect(edited.server == stored.server && edited.auth == stored.auth)
        #expect(newSecret == nil && changed.isEmpty)
    }

    @Test func emptySiteSwitchesToTheDefaultSiteAndTheDisplayNameFollows() throws {
        let (stored, _) = try pat.validatedForAdd()
        let (edited, _, changed) = try ConnectionDraft(name: "prod", siteContentUrl: "").applied(to: stored)
        #expect(edited.siteContentUrl == "" && changed == ["siteContentUrl"])
        #expect(edited.displayName == "tableau.example.com · Default site")
    }

    @Test func secretIsReplacedOnlyWhenANewOneIsGiven() throws {
        let (stored, _) = try pat.validatedForAdd()
        let (_, newSecret, changed) = try ConnectionDraft(name: "prod", siteContentUrl: "marketing", patName: "renamed", patSecret: "new-secret-9876").applied(to: stored)
        #expect(newSecret == "new-secret-9876")
        #expect(changed == ["patName", "patSecret"])
    }

    @Test func maskShowsBulletsAndTheLastFourCharacters() {
        #expect(SecretMask.mask("abcdef123456WXYZ") == "••••••••WXYZ")
        #expect(SecretMask.mask("short") == "••••••••")
    }
}
