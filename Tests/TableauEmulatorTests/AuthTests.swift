import AsyncHTTPClient
import Foundation
import TableauEmulator
import Testing

/// Sign-in with PAT and password, sessions, sign-out, switch site (REST-API.md §2).
@Suite struct AuthTests {
    @Test func patSignInReturnsTokenSiteAndUser() async throws {
        try await withEmulator(seed: Demo.seed()) { emulator in
            let answer = try await Tab(emulator).post("auth/signin", Demo.patBody("freshet-admin", "demo-admin-pat-secret"))
            #expect(answer.status == 200)
            let credentials = try answer.json()["credentials"]
            #expect(credentials["token"].stringValue?.isEmpty == false)
            #expect(credentials["site"]["contentUrl"] == .string(""))
            #expect(credentials["site"]["id"].stringValue?.count == 36)
            #expect(credentials["user"]["id"].stringValue?.count == 36)
        }
    }

    @Test func passwordSignInWorksAndWrongPasswordIs401001() async throws {
        try await withEmulator(seed: Demo.seed()) { emulator in
            let tab = try await Tab(emulator).signedIn(body: Demo.passwordBody("analyst@example.com", "demo-password"))
            #expect(try await tab.get("sites/SITE/workbooks").status == 200)
            let wrong = try await Tab(emulator).post("auth/signin", Demo.passwordBody("analyst@example.com", "nope"))
            #expect(wrong.status == 401)
            let error = try wrong.json()["error"]
            #expect(error["code"] == .string("401001"))
            #expect(error["summary"] == .string("Signin Error"))
        }
    }

    @Test(arguments: [
        Demo.patBody("freshet-admin", "wrong-secret"),
        Demo.patBody("no-such-pat", "demo-admin-pat-secret"),
        Demo.patBody("freshet-admin", "demo-admin-pat-secret", site: "no-such-site"),
        Demo.passwordBody("nobody@example.com", "demo-password"),
        // An Unlicensed user with no password.
        Demo.passwordBody("new.hire@example.com", ""),
    ])
    func badCredentialsAre401001(body: String) async throws {
        try await withEmulator(seed: Demo.seed()) { emulator in
            let answer = try await Tab(emulator).post("auth/signin", body)
            #expect(answer.status == 401)
            #expect(Tab.errorCode(answer) == "401001")
        }
    }

    @Test func signInWithoutCredentialsIs400() async throws {
        try await withEmulator(seed: Demo.seed()) { emulator in
            let answer = try await Tab(emulator).post("auth/signin", #"{"site":{"contentUrl":""}}"#)
            #expect(answer.status == 400)
            #expect(Tab.errorCode(answer) == "400000")
        }
    }

    @Test func onlyOneLiveSessionPerPAT() async throws {
        try await withEmulator(seed: Demo.seed()) { emulator in
            let first = try await Tab(emulator).admin()
            #expect(try await first.get("sites/SITE/workbooks").status == 200)
            let analyst = try await Tab(emulator).analyst()
            let second = try await Tab(emulator).admin()
            #expect(second.token != first.token)
            let ended = try await first.get("sites/SITE/workbooks")
            #expect(ended.status == 401)
            #expect(Tab.errorCode(ended) == "401002")
            #expect(try await second.get("sites/SITE/workbooks").status == 200)
            // Another PAT's session is untouched.
            #expect(try await analyst.get("sites/SITE/workbooks").status == 200)
        }
    }

    @Test func signingInToAnotherSiteWithTheSamePATAlsoEndsTheFirstSession() async throws {
        try await withEmulator(seed: Demo.seed()) { emulator in
            let first = try await Tab(emulator).admin()
            let other = try await Tab(emulator).signedIn(pat: "freshet-admin", secret: "demo-admin-pat-secret", site: "analytics")
            #expect(other.siteId != first.siteId)
            #expect(try await first.get("sites/SITE/workbooks").status == 401)
            #expect(try await other.get("sites/SITE/datasources").status == 200)
        }
    }

    @Test func passwordSessionsCanRunInParallel() async throws {
        try await withEmulator(seed: Demo.seed()) { emulator in
            let one = try await Tab(emulator).signedIn(body: Demo.passwordBody("admin@example.com", "demo-password"))
            let two = try await Tab(emulator).signedIn(body: Demo.passwordBody("admin@example.com", "demo-password"))
            #expect(try await one.get("sites/SITE/workbooks").status == 200)
            #expect(try await two.get("sites/SITE/workbooks").status == 200)
        }
    }

    @Test func missingTokenIs401000AndUnknownTokenIs401002() async throws {
        try await withEmulator(seed: Demo.seed()) { emulator in
            let signedIn = try await Tab(emulator).admin()
            var anonymous = signedIn
            anonymous.token = nil
            let missing = try await anonymous.get("sites/SITE/workbooks")
            #expect(missing.status == 401)
            #expect(Tab.errorCode(missing) == "401000")
            var forged = signedIn
            forged.token = "not-a-token"
            let unknown = try await forged.get("sites/SITE/workbooks")
            #expect(unknown.status == 401)
            #expect(Tab.errorCode(unknown) == "401002")
            #expect(try unknown.json()["error"]["detail"] == .string("Invalid authentication credentials were provided."))
        }
    }

    @Test func sessionsExpireAfterTheConfiguredLifetime() async throws {
        let (clock, configuration) = Demo.manual(sessionMinutes: 5)
        try await withEmulator(seed: Demo.seed(), configuration: configuration) { emulator in
            let tab = try await Tab(emulator).admin()
            clock.advance(by: 299)
            #expect(try await tab.get("sites/SITE/workbooks").status == 200)
            clock.advance(by: 2)
            let expired = try await tab.get("sites/SITE/workbooks")
            #expect(expired.status == 401)
            #expect(Tab.errorCode(expired) == "401002")
        }
    }

    @Test func sessionLifetimeIsAbsoluteNotSliding() async throws {
        let (clock, configuration) = Demo.manual(sessionMinutes: 3)
        try await withEmulator(seed: Demo.seed(), configuration: configuration) { emulator in
            let tab = try await Tab(emulator).admin()
            for _ in 0..<3 {
                clock.advance(by: 50)
                #expect(try await tab.get("sites/SITE/workbooks").status == 200)
            }
            clock.advance(by: 50)
            #expect(try await tab.get("sites/SITE/workbooks").status == 401)
        }
    }

    @Test func signOutEndsTheSession() async throws {
        try await withEmulator(seed: Demo.seed()) { emulator in
            let tab = try await Tab(emulator).admin()
            let out = try await tab.post("auth/signout")
            #expect(out.status == 204)
            #expect(out.body.isEmpty)
            let after = try await tab.get("sites/SITE/workbooks")
            #expect(after.status == 401)
            #expect(Tab.errorCode(after) == "401002")
            // Signing out again: the session is already gone.
            #expect(try await tab.post("auth/signout").status == 401)
            // The PAT can sign in again.
            #expect(try await Tab(emulator).admin().get("sites/SITE/workbooks").status == 200)
        }
    }

    @Test func switchSiteGivesANewTokenForTheOtherSite() async throws {
        try await withEmulator(seed: Demo.seed()) { emulator in
            let tab = try await Tab(emulator).admin()
            let answer = try await tab.post("auth/switchSite", #"{"site":{"contentUrl":"analytics"}}"#)
            #expect(answer.status == 200)
            let credentials = try answer.json()["credentials"]
            var switched = tab
            let token: String = try #require(credentials["token"].stringValue)
            switched.token = token
            switched.siteId = try #require(credentials["site"]["id"].stringValue)
            #expect(credentials["site"]["contentUrl"] == .string("analytics"))
            #expect(switched.siteId != tab.siteId)
            #expect(try await tab.get("sites/SITE/workbooks").status == 401)
            let datasources = try await switched.get("sites/SITE/datasources").json()
            #expect(datasources["datasources"]["datasource"].items.map { $0["name"].stringValue } == ["Events"])
            // The old site's resources are not reachable with the new token.
            var crossing = switched
            crossing.siteId = tab.siteId
            #expect(try await crossing.get("sites/SITE/workbooks").status == 403)
        }
    }

    @Test func switchingToTheCurrentSiteIs403070AndToAForeignSite401() async throws {
        try await withEmulator(seed: Demo.seed()) { emulator in
            let admin = try await Tab(emulator).admin()
            let same = try await admin.post("auth/switchSite", #"<tsRequest><site contentUrl=""/></tsRequest>"#)
            #expect(same.status == 403)
            #expect(Tab.errorCode(same) == "403070")
            let analyst = try await Tab(emulator).analyst()
            let foreign = try await analyst.post("auth/switchSite", #"{"site":{"contentUrl":"analytics"}}"#)
            #expect(foreign.status == 401)
            #expect(Tab.errorCode(foreign) == "401001")
        }
    }

    @Test func currentSessionDescribesSiteAndUser() async throws {
        try await withEmulator(seed: Demo.seed()) { emulator in
            let tab = try await Tab(emulator).analyst()
            let session = try await tab.get("sessions/current").json()["session"]
            #expect(session["site"]["id"].stringValue == tab.siteId)
            #expect(session["site"]["name"] == .string("Default"))
            #expect(session["site"]["contentUrl"] == .string(""))
            #expect(session["user"]["id"].stringValue == tab.userId)
            #expect(session["user"]["name"] == .string("analyst@example.com"))
            #expect(session["user"]["siteRole"] == .string("Creator"))
            #expect(session["user"]["lastLogin"].stringValue != nil)
        }
    }

    @Test func sitesQueryOnServerListsTheUsersSitesAndCloudRefusesIt() async throws {
        try await withEmulator(seed: Demo.seed()) { emulator in
            let admin = try await Tab(emulator).admin()
            let sites = try await admin.get("sites").json()
            #expect(sites["sites"]["site"].items.compactMap { $0["contentUrl"].stringValue }.sorted() == ["", "analytics"])
            let analyst = try await Tab(emulator).analyst()
            #expect(try await analyst.get("sites").json()["sites"]["site"].items.count == 1)
            let bySiteId = try await admin.get("sites/SITE").json()
            #expect(bySiteId["site"]["name"] == .string("Default"))
            let byContentUrl = try await admin.get("sites/analytics?key=contentUrl")
            // Only the signed-in site can be read.
            #expect(byContentUrl.status == 403)
        }
        var cloud = try Demo.seed()
        cloud.server?.mode = "cloud"
        try await withEmulator(seed: cloud) { emulator in
            let answer = try await Tab(emulator).admin().get("sites")
            #expect(answer.status == 403)
            #expect(Tab.errorCode(answer) == "403069")
        }
    }

    @Test func aSiteLuidOtherThanTheSessionsIsForbiddenAndAnUnknownOneNotFound() async throws {
        try await withEmulator(seed: Demo.seed()) { emulator in
            let analytics = try await Tab(emulator).signedIn(pat: "freshet-analyst", secret: "demo-analyst-pat-secret")
            let admin = try await Tab(emulator).signedIn(pat: "freshet-admin", secret: "demo-admin-pat-secret", site: "analytics")
            var crossing = admin
            crossing.siteId = analytics.siteId
            let forbidden = try await crossing.get("sites/SITE/workbooks")
            #expect(forbidden.status == 403)
            #expect(Tab.errorCode(forbidden) == "403000")
            crossing.siteId = "00000000-0000-0000-0000-000000000000"
            let missing = try await crossing.get("sites/SITE/workbooks")
            #expect(missing.status == 404)
            #expect(Tab.errorCode(missing) == "404000")
        }
    }
}
