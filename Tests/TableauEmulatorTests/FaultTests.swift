import AsyncHTTPClient
import Foundation
import NIOHTTP1
import TableauEmulator
import Testing

/// Faults injected through `/_emulator/faults` and the seed, and session revocation (issue item 10).
@Suite struct FaultTests {
    @Test func scriptedFailuresAnswerTheNextMatchingRequestsThenStop() async throws {
        try await withEmulator(seed: Demo.seed()) { emulator in
            let set = try await emulator.admin(.PUT, "faults", #"{"failNext":[{"status":503,"count":2,"pathContains":"serverinfo"}]}"#)
            #expect(set.status == 200)
            let tab = Tab(emulator)
            // Requests that do not match are untouched.
            #expect(try await tab.post("auth/signin", Demo.patBody("freshet-admin", "demo-admin-pat-secret")).status == 200)
            for _ in 0..<2 {
                let answer = try await tab.get("serverinfo")
                #expect(answer.status == 503)
                let error = try answer.json()["error"]
                #expect(error["code"] == .string("503000"))
                #expect(error["summary"] == .string("Service Unavailable"))
            }
            #expect(try await tab.get("serverinfo").status == 200)
            let faults = try await emulator.admin(.GET, "faults").json()
            #expect(faults["failNext"].items.isEmpty)
        }
    }

    @Test func scriptedFailuresCanMatchTheMethod() async throws {
        try await withEmulator(seed: Demo.seed()) { emulator in
            _ = try await emulator.admin(.PUT, "faults", #"{"failNext":[{"status":500,"method":"POST"}]}"#)
            let tab = Tab(emulator)
            #expect(try await tab.get("serverinfo").status == 200)
            let signIn = try await tab.post("auth/signin", Demo.patBody("freshet-admin", "demo-admin-pat-secret"))
            #expect(signIn.status == 500)
            #expect(Tab.errorCode(signIn) == "500000")
            #expect(try await tab.post("auth/signin", Demo.patBody("freshet-admin", "demo-admin-pat-secret")).status == 200)
        }
    }

    @Test func a429CarriesRetryAfterAndAnHTMLBody() async throws {
        try await withEmulator(seed: Demo.seed()) { emulator in
            _ = try await emulator.admin(.PUT, "faults", #"{"failNext":[{"status":429,"retryAfterSeconds":7}]}"#)
            let answer = try await Tab(emulator).get("serverinfo")
            #expect(answer.status == 429)
            #expect(answer.headers.first(name: "Retry-After") == "7")
            #expect(answer.contentType.hasPrefix("text/html"))
            #expect(answer.body.contains("Too Many Requests"))
        }
    }

    @Test func rateLimitRateUsesTheDefaultRetryAfter() async throws {
        try await withEmulator(seed: Demo.seed()) { emulator in
            _ = try await emulator.admin(.PUT, "faults", #"{"rateLimitRate":1.0,"retryAfterSeconds":3}"#)
            let answer = try await Tab(emulator).get("serverinfo")
            #expect(answer.status == 429)
            #expect(answer.headers.first(name: "Retry-After") == "3")
        }
    }

    @Test func aDroppedConnectionGetsNoAnswer() async throws {
        try await withEmulator(seed: Demo.seed()) { emulator in
            _ = try await emulator.admin(.PUT, "faults", #"{"failNext":[{"pathContains":"serverinfo"}]}"#)
            await #expect(throws: (any Error).self) {
                _ = try await Tab(emulator).get("serverinfo")
            }
            #expect(try await Tab(emulator).get("serverinfo").status == 200)
            let log = try await emulator.admin(.GET, "requests").json().items
            #expect(log.contains { $0["path"] == .string("/api/3.24/serverinfo") && $0["status"].intValue == 0 })
        }
    }

    @Test func dropRateDropsEveryMatchingConnection() async throws {
        try await withEmulator(seed: Demo.seed()) { emulator in
            _ = try await emulator.admin(.PUT, "faults", #"{"dropRate":1.0,"pathContains":"/workbooks"}"#)
            let tab = try await Tab(emulator).admin()
            await #expect(throws: (any Error).self) {
                _ = try await tab.get("sites/SITE/workbooks")
            }
            #expect(try await tab.get("sites/SITE/datasources").status == 200)
        }
    }

    @Test func errorRateOneFailsEveryAPIRequestButNotTheAdminAPI() async throws {
        try await withEmulator(seed: Demo.seed()) { emulator in
            let set = try await emulator.admin(.PUT, "faults", #"{"errorRate":1.0}"#)
            #expect(set.status == 200)
            #expect(try set.json()["errorRate"].intValue == 1)
            for _ in 0..<10 {
                let answer = try await Tab(emulator).get("serverinfo")
                #expect([500, 503].contains(answer.status))
            }
            #expect(try await emulator.admin(.GET, "health").status == 200)
            _ = try await emulator.admin(.PUT, "faults", #"{"errorRate":1.0,"errorStatuses":[502]}"#)
            #expect(try await Tab(emulator).get("serverinfo").status == 502)
            #expect(try await emulator.admin(.PUT, "faults", "{}").status == 200)
            #expect(try await Tab(emulator).get("serverinfo").status == 200)
        }
    }

    @Test func faultsFromTheSeedApplyFromTheStart() async throws {
        var seed = try Demo.seed()
        seed.faults = FaultSettings(errorRate: 1, errorStatuses: [503])
        try await withEmulator(seed: seed) { emulator in
            #expect(try await Tab(emulator).get("serverinfo").status == 503)
            let faults = try await emulator.admin(.GET, "faults").json()
            #expect(faults["errorStatuses"][0].intValue == 503)
        }
    }

    @Test func latencyDelaysEveryAnswer() async throws {
        try await withEmulator(seed: Demo.seed()) { emulator in
            _ = try await emulator.admin(.PUT, "faults", #"{"latencyMs":300}"#)
            let clock = ContinuousClock()
            let start = clock.now
            #expect(try await Tab(emulator).get("serverinfo").status == 200)
            #expect(clock.now - start >= .milliseconds(300))
            // The admin API is never delayed.
            _ = try await emulator.admin(.PUT, "faults", #"{"latencyMs":0}"#)
        }
    }

    @Test(arguments: [
        #"{"errorRate":1.5}"#, #"{"latencyMs":-1}"#, #"{"errorStatuses":[404]}"#, #"{"revokeSessionEvery":0}"#,
        #"{"failNext":[{"status":200}]}"#, #"{"failNext":[{"status":503,"count":0}]}"#, #"{"maxConcurrentJobsPerSite":0}"#,
        #"{"errorRate":"high"}"#, "not json",
    ])
    func invalidFaultSettingsAre400AndChangeNothing(body: String) async throws {
        try await withEmulator(seed: Demo.seed()) { emulator in
            let answer = try await emulator.admin(.PUT, "faults", body)
            #expect(answer.status == 400)
            #expect(try answer.json()["error"].stringValue != nil)
            #expect(try await emulator.admin(.GET, "faults").json()["errorRate"].intValue == 0)
        }
    }

    @Test func revokingSessionsByTokenPATOrAll() async throws {
        try await withEmulator(seed: Demo.seed()) { emulator in
            let admin = try await Tab(emulator).admin()
            let analyst = try await Tab(emulator).analyst()
            let password = try await Tab(emulator).signedIn(body: Demo.passwordBody("admin@example.com", "demo-password"))
            let sessions = try await emulator.admin(.GET, "sessions").json().items
            #expect(sessions.count == 3)
            #expect(sessions.contains { $0["pat"] == .string("freshet-admin") && $0["method"] == .string("personalAccessToken") })

            let byPAT = try await emulator.admin(.POST, "sessions/revoke", #"{"pat":"freshet-admin"}"#)
            #expect(try byPAT.json()["revoked"].intValue == 1)
            let revoked = try await admin.get("sites/SITE/workbooks")
            #expect(revoked.status == 401)
            #expect(Tab.errorCode(revoked) == "401002")
            #expect(try await analyst.get("sites/SITE/workbooks").status == 200)

            let byToken = try await emulator.admin(.POST, "sessions/revoke", #"{"token":"\#(analyst.token ?? "")"}"#)
            #expect(try byToken.json()["revoked"].intValue == 1)
            #expect(try await analyst.get("sites/SITE/workbooks").status == 401)
            #expect(try await password.get("sites/SITE/workbooks").status == 200)

            let all = try await emulator.admin(.POST, "sessions/revoke", "{}")
            #expect(try all.json()["revoked"].intValue == 1)
            #expect(try await password.get("sites/SITE/workbooks").status == 401)
            // The PAT signs in again after revocation.
            #expect(try await Tab(emulator).admin().get("sites/SITE/workbooks").status == 200)
        }
    }

    @Test func revokeSessionEveryNthAuthenticatedRequest() async throws {
        try await withEmulator(seed: Demo.seed()) { emulator in
            _ = try await emulator.admin(.PUT, "faults", #"{"revokeSessionEvery":3}"#)
            let tab = try await Tab(emulator).admin()
            #expect(try await tab.get("serverinfo").status == 200)  // not authenticated: not counted
            #expect(try await tab.get("sites/SITE/workbooks").status == 200)
            #expect(try await tab.get("sites/SITE/workbooks").status == 200)
            let third = try await tab.get("sites/SITE/workbooks")
            #expect(third.status == 401)
            #expect(Tab.errorCode(third) == "401002")
            #expect(try await tab.get("sites/SITE/workbooks").status == 401)
            let again = try await Tab(emulator).admin()
            #expect(try await again.get("sites/SITE/workbooks").status == 200)
        }
    }
}
