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

    /// Issue 19: a connection every later call would fail with is refused when saved, naming the field.
    @Test(arguments: [
        ("https://999.1.1.1/", "server"), ("https://tableau..example.com", "server"), ("https://-bad.example.com", "server"),
        ("https://tab leau.example.com", "server"), ("https://[::1", "server"), ("https://tableau.example.com:0", "server"),
        ("https://tableau.example.com:80x", "server"), ("https://exa%mple.com", "server"), ("https://:443", "server"),
    ])
    func unusableServerURLsAreRefused(url: String, field: String) {
        #expect { try ConnectionDraft(name: "a", serverURL: url, patName: "n", patSecret: "s").validatedForAdd() } throws: {
            ($0 as? ValidationError)?.field == field
        }
    }

    @Test func usableHostsAreKept() throws {
        for url in ["https://10.0.0.7", "https://[::1]:8443", "tableau-01.corp.example.com:8443", "https://online.tableau.com/#/site/x"] {
            _ = try ConnectionDraft(name: "a", serverURL: url, patName: "n", patSecret: "s").validatedForAdd()
        }
    }

    @Test func shortConnectedAppSecretsAndBadAPIVersionsAreRefused() throws {
        let app = ConnectionDraft.ConnectedAppDraft(clientId: "c", secretId: "s", secretValue: "too-short-secret", username: "u")
        #expect { try ConnectionDraft(name: "a", serverURL: "host", connectedApp: app).validatedForAdd() } throws: {
            ($0 as? ValidationError)?.field == "secretValue"
        }
        for pin in ["3", "3.x", "-3.1", "9.24", "3.24.1", "3.", " 3 .24"] {
            #expect { try ConnectionDraft(name: "a", serverURL: "host", apiVersionPin: pin, patName: "n", patSecret: "s").validatedForAdd() } throws: {
                ($0 as? ValidationError)?.field == "apiVersion"
            }
        }
        var long = app
        long.secretValue = String(repeating: "k", count: 32)
        _ = try ConnectionDraft(name: "a", serverURL: "host", apiVersionPin: "3.24", connectedApp: long).validatedForAdd()
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
