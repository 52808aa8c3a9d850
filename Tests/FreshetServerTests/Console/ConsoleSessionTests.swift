import Foundation
import Freshet
@testable import FreshetServer
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// Sign-in, the session cookie, CSRF and the security headers.
@Suite struct ConsoleSessionTests {
    @Test func signingInSetsAStrictHttpOnlyExpiringCookieAndSigningOutEndsIt() async throws {
        try await ConsoleTest.run { fixture, browser in
            let form = try await browser.get("/sign-in")
            #expect(form.status == .ok)
            #expect(form.text.contains("<title>Sign in · Freshet</title>"))
            #expect(form.text.contains(#"<label for="token">API token</label>"#))
            let csrf = try #require(form.hiddenValue("_csrf"))
            let answer = try await browser.post("/sign-in", ["_csrf": csrf, "token": fixture.adminToken, "next": "/connections"])
            #expect(answer.status == .seeOther)
            #expect(answer.headers[.location] == "/connections")
            let cookie = try #require(answer.headers[values: .setCookie].first { $0.hasPrefix("freshet_session=") })
            #expect(cookie.contains("HttpOnly"))
            #expect(cookie.contains("SameSite=Strict"))
            #expect(cookie.contains("Max-Age=28800"))
            #expect(!cookie.contains("Secure"))  // plain http here; Secure on https
            #expect(!cookie.contains(fixture.adminToken))  // sealed, never the token itself
            #expect(try await browser.get("/connections").status == .ok)

            let signOut = try await browser.post("/sign-out", ["_csrf": try await browser.csrfToken()])
            #expect(signOut.headers[.location] == "/sign-in")
            let after = try await browser.get("/connections")
            #expect(after.status == .seeOther)
            #expect(after.headers[.location] == "/sign-in?next=%2Fconnections")
        }
    }

    @Test func theSessionCookieIsSecureBehindHTTPS() async throws {
        try await ConsoleTest.run { fixture, browser in
            let form = try await browser.get("/sign-in")
            let response = try await browser.client.execute(
                uri: "/sign-in", method: .post,
                headers: [
                    .contentType: "application/x-www-form-urlencoded", .cookie: browser.cookies.header ?? "",
                    HTTPField.Name("X-Forwarded-Proto")!: "https",
                ],
                body: ByteBuffer(string: "_csrf=\(form.hiddenValue("_csrf") ?? "")&token=\(fixture.adminToken)"))
            let cookie = try #require(response.headers[values: .setCookie].first { $0.hasPrefix("freshet_session=") })
            #expect(cookie.contains("Secure"))
        }
    }

    @Test func aWrongTokenIsRefusedOnTheForm() async throws {
        try await ConsoleTest.run { _, browser in
            let form = try await browser.get("/sign-in")
            let answer = try await browser.post("/sign-in", ["_csrf": form.hiddenValue("_csrf") ?? "", "token": "fsh_not-a-token"])
            #expect(answer.status == .unauthorized)
            #expect(answer.element(id: "sign-in-error") == "The API token is not valid.")
            #expect(browser.cookies["freshet_session"] == nil)
        }
    }

    @Test func revokingTheTokenEndsItsSessionAtOnce() async throws {
        try await ConsoleTest.run { fixture, browser in
            let secret = try await fixture.token("reader", [.read])
            try await browser.signIn(secret)
            #expect(try await browser.get("/runs").status == .ok)
            _ = try await fixture.runtime.tokens.revoke("reader", actor: "test")
            let after = try await browser.get("/runs")
            #expect(after.status == .seeOther)
            #expect(after.headers[.location]?.hasPrefix("/sign-in") == true)
        }
    }

    @Test func aForgedSessionCookieIsRefused() async throws {
        try await ConsoleTest.run { _, browser in
            browser.cookies["freshet_session"] = "AAAA" + String(repeating: "x", count: 60)
            let response = try await browser.get("/runs")
            #expect(response.status == .seeOther)
        }
    }

    @Test func formsWithoutTheCSRFTokenAreRefused() async throws {
        try await ConsoleTest.run { fixture, browser in
            try await browser.signIn(fixture.adminToken)
            let fields = ["serverUrl": "tableau.example.com", "patName": "p", "patSecret": "s", "name": "forged"]
            let forged = try await browser.post("/connections", fields)
            #expect(forged.status == .forbidden)
            #expect(forged.text.contains("CSRF"))
            let wrong = try await browser.post("/connections", fields.merging(["_csrf": "0123"]) { $1 })
            #expect(wrong.status == .forbidden)
            #expect(try await fixture.runtime.store.connection(named: "forged") == nil)
            // The sign-in form needs its own cookie's token too.
            let signIn = try await browser.post("/sign-in", ["token": fixture.adminToken])
            #expect(signIn.status == .forbidden)
        }
    }

    @Test func everyPageCarriesTheSecurityHeaders() async throws {
        try await ConsoleTest.run { fixture, browser in
            try await browser.signIn(fixture.adminToken)
            for path in ["/sign-in", "/runs", "/connections", "/connections/new", "/tokens", "/audit", "/freshness", "/access-events", "/runs/unknown"] {
                let response = try await browser.get(path)
                let policy = try #require(response.headers[.contentSecurityPolicy], "\(path)")
                #expect(policy.contains("frame-ancestors 'none'"))
                #expect(policy.contains("script-src 'self'"))
                #expect(!policy.contains("unsafe-inline"))
                #expect(response.headers[.xContentTypeOptions] == "nosniff")
                #expect(response.headers[.contentType]?.hasPrefix("text/html") == true)
                #expect(!response.text.contains("<script>"), "no inline script on \(path)")
            }
        }
    }

    @Test func theSessionSealerOpensOnlyItsOwnUnexpiredCookies() throws {
        let sealer = ConsoleSessionSealer(keyring: Keyring(current: .generate()))
        let now = Date()
        let session = ConsoleSession(token: "fsh_x", expires: now.addingTimeInterval(60).timeIntervalSince1970, csrf: "c")
        let sealed = try sealer.seal(session)
        #expect(sealer.open(sealed, now: now) == session)
        #expect(sealer.open(sealed, now: now.addingTimeInterval(61)) == nil)
        #expect(ConsoleSessionSealer(keyring: Keyring(current: .generate())).open(sealed, now: now) == nil)
        var tampered = Array(sealed)
        tampered[tampered.count / 2] = tampered[tampered.count / 2] == "A" ? "B" : "A"
        #expect(sealer.open(String(tampered), now: now) == nil)
    }
}
