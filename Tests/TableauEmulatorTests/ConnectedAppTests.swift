import Foundation
import TableauEmulator
import Testing

/// Connected-app (direct trust) JWT sign-in and scopes (REST-API.md §2.5).
@Suite struct ConnectedAppTests {
    func signIn(_ jwt: JWTBuilder, emulator: RunningEmulator, clock: EmulatorClock) async throws -> Answer {
        try await Tab(emulator).post("auth/signin", Demo.jwtBody(jwt.token(now: clock.now())))
    }

    @Test func aValidJWTSignsIn() async throws {
        let (clock, configuration) = Demo.manual()
        try await withEmulator(seed: Demo.seed(), configuration: configuration) { emulator in
            let answer = try await signIn(JWTBuilder(), emulator: emulator, clock: clock)
            #expect(answer.status == 200, "\(answer)")
            let credentials = try answer.json()["credentials"]
            #expect(credentials["token"].stringValue != nil)
            #expect(credentials["site"]["contentUrl"] == .string(""))
        }
    }

    @Test func anXMLSignInWithAJWTAndAnExpiryOfExactlyTenMinutesWorks() async throws {
        let (clock, configuration) = Demo.manual()
        try await withEmulator(seed: Demo.seed(), configuration: configuration) { emulator in
            var jwt = JWTBuilder()
            jwt.lifetime = 600
            let body = #"<tsRequest><credentials jwt="\#(jwt.token(now: clock.now()))" isUat="false"><site contentUrl=""/></credentials></tsRequest>"#
            let answer = try await Tab(emulator).post("auth/signin", body)
            #expect(answer.status == 200, "\(answer)")
        }
    }

    /// Each broken rule is refused with 401001; the detail names the connected-app error.
    static let brokenRules: [(String, @Sendable (inout JWTBuilder) -> Void, String)] = [
        ("bad signature", { $0.signingSecret = "some-other-secret" }, "BAD_JWT"),
        ("exp more than 10 minutes ahead", { $0.lifetime = 601 }, "JWT_EXPIRATION_EXCEEDS_CONFIGURED_EXPIRATION_PERIOD"),
        ("exp in the past", { $0.lifetime = -5 }, "LOGIN_FAILED"),
        ("unknown sub", { $0.subject = "stranger@example.com" }, "SYSTEM_USER_NOT_FOUND"),
        ("unlicensed sub", { $0.subject = "new.hire@example.com" }, "SYSTEM_USER_NOT_FOUND"),
        ("missing sub", { $0.subject = nil }, "LOGIN_FAILED"),
        ("wrong aud", { $0.audience = "tableau-cloud" }, "LOGIN_FAILED"),
        ("missing aud", { $0.audience = nil }, "LOGIN_FAILED"),
        ("missing scp", { $0.scopes = nil }, "LOGIN_FAILED"),
        ("missing jti", { $0.jwtId = nil }, "LOGIN_FAILED"),
        ("unknown kid", { $0.secretId = "no-such-secret" }, "CONNECTED_APP_SECRET_NOT_FOUND"),
        ("wrong iss", { $0.clientId = "another-app" }, "CONNECTED_APP_NOT_FOUND"),
    ]

    @Test(arguments: 0..<brokenRules.count)
    func everyBrokenRuleIsRefused(rule: Int) async throws {
        let (name, breakRule, reason) = Self.brokenRules[rule]
        let (clock, configuration) = Demo.manual()
        try await withEmulator(seed: Demo.seed(), configuration: configuration) { emulator in
            var jwt = JWTBuilder()
            breakRule(&jwt)
            let answer = try await signIn(jwt, emulator: emulator, clock: clock)
            #expect(answer.status == 401, "\(name): \(answer)")
            let error = try answer.json()["error"]
            #expect(error["code"] == .string("401001"), "\(name)")
            #expect(error["detail"].stringValue?.contains(reason) == true, "\(name): \(error)")
        }
    }

    @Test func aJTIIsNeverAcceptedTwice() async throws {
        let (clock, configuration) = Demo.manual()
        try await withEmulator(seed: Demo.seed(), configuration: configuration) { emulator in
            let jwt = JWTBuilder(jwtId: "once-only")
            #expect(try await signIn(jwt, emulator: emulator, clock: clock).status == 200)
            clock.advance(by: 1)
            let again = try await signIn(jwt, emulator: emulator, clock: clock)
            #expect(again.status == 401)
            #expect(try again.json()["error"]["detail"].stringValue?.contains("already been used") == true)
        }
    }

    @Test func jwtReuseWithinItsLifetimeWhenTheSeedAllowsIt() async throws {
        var seed = try Demo.seed()
        seed.server?.jwtReuse = "allowWithinLifetime"
        let (clock, configuration) = Demo.manual()
        try await withEmulator(seed: seed, configuration: configuration) { emulator in
            let token = JWTBuilder(lifetime: 300, jwtId: "static").token(now: clock.now())
            for _ in 0..<3 {
                #expect(try await Tab(emulator).post("auth/signin", Demo.jwtBody(token)).status == 200)
                clock.advance(by: 60)
            }
            clock.advance(by: 200)
            let expired = try await Tab(emulator).post("auth/signin", Demo.jwtBody(token))
            #expect(expired.status == 401)
        }
        // The configuration wins over the seed.
        var strict = configuration
        strict.allowJWTReuse = false
        try await withEmulator(seed: seed, configuration: strict) { emulator in
            let token = JWTBuilder(jwtId: "static").token(now: clock.now())
            let first = try await Tab(emulator).post("auth/signin", Demo.jwtBody(token))
            let second = try await Tab(emulator).post("auth/signin", Demo.jwtBody(token))
            #expect(first.status == 200)
            #expect(second.status == 401)
        }
    }

    @Test func anUnknownJWTReuseSettingIsASeedError() throws {
        var seed = try Demo.seed()
        seed.server?.jwtReuse = "sometimes"
        #expect(throws: SeedError.self) { _ = try EmulatorState(seed: seed) }
    }

    @Test func jwtSessionsRunInParallel() async throws {
        let (clock, configuration) = Demo.manual()
        try await withEmulator(seed: Demo.seed(), configuration: configuration) { emulator in
            let one = try await Tab(emulator).signedIn(body: Demo.jwtBody(JWTBuilder().token(now: clock.now())))
            let two = try await Tab(emulator).signedIn(body: Demo.jwtBody(JWTBuilder().token(now: clock.now())))
            #expect(try await one.get("sites/SITE/workbooks").status == 200)
            #expect(try await two.get("sites/SITE/workbooks").status == 200)
        }
    }

    @Test func aSessionLackingAScopeIsRefusedOnTheEndpointItGoverns() async throws {
        let (clock, configuration) = Demo.manual()
        try await withEmulator(seed: Demo.seed(), configuration: configuration) { emulator in
            let readOnly = JWTBuilder(scopes: ["tableau:content:read"])
            let tab = try await Tab(emulator).signedIn(body: Demo.jwtBody(readOnly.token(now: clock.now())))
            #expect(try await tab.get("sites/SITE/datasources").status == 200)
            let sales = try await tab.id(of: "datasources", named: "Sales")
            let refresh = try await tab.post("sites/SITE/datasources/\(sales)/refresh", "{}")
            #expect(refresh.status == 403)
            #expect(Tab.errorCode(refresh) == "403004")
            #expect(try refresh.json()["error"]["detail"].stringValue?.contains("tableau:tasks:run") == true)
            let users = try await tab.get("sites/SITE/users")
            #expect(users.status == 403)
            #expect(Tab.errorCode(users) == "403004")
            let search = try await tab.get("/api/-/search?terms=Sales")
            #expect(search.status == 200)

            let noContent = JWTBuilder(scopes: ["tableau:tasks:run"])
            let runner = try await Tab(emulator).signedIn(body: Demo.jwtBody(noContent.token(now: clock.now())))
            #expect(try await runner.post("sites/SITE/datasources/\(sales)/refresh", "{}").status == 202)
            let list = try await runner.get("sites/SITE/workbooks")
            #expect(list.status == 403)
            #expect(Tab.errorCode(list) == "403004")
            #expect(try await runner.get("/api/-/search?terms=Sales").status == 403)
        }
    }

    @Test func wildcardScopesGrantEveryActionOfTheirResource() async throws {
        let (clock, configuration) = Demo.manual()
        try await withEmulator(seed: Demo.seed(), configuration: configuration) { emulator in
            let jwt = JWTBuilder(scopes: ["tableau:users:*"])
            let tab = try await Tab(emulator).signedIn(body: Demo.jwtBody(jwt.token(now: clock.now())))
            #expect(try await tab.get("sites/SITE/users").status == 200)
            #expect(try await tab.get("sites/SITE/workbooks").status == 403)
        }
    }

    @Test func aDisabledConnectedAppIsRefused() async throws {
        var seed = try Demo.seed()
        seed.sites[0].connectedApps = [
            Seed.ConnectedAppSeed(clientId: "demo-connected-app", secretId: "demo-secret-id", secretValue: "demo-connected-app-secret-value-0123456789", enabled: false)
        ]
        let (clock, configuration) = Demo.manual()
        try await withEmulator(seed: seed, configuration: configuration) { emulator in
            let answer = try await signIn(JWTBuilder(), emulator: emulator, clock: clock)
            #expect(answer.status == 401)
            #expect(try answer.json()["error"]["detail"].stringValue?.contains("FEATURE_NOT_ENABLED") == true)
        }
    }
}
