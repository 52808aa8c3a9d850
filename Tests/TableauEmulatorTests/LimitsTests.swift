import Foundation
import NIOHTTP1
import TableauEmulator
import Testing

/// Tableau Cloud's limits in the emulator: a refresh killed at the site's time limit, the daily
/// refresh capacity, suspended tasks and a 429 that names its wait in words.
@Suite struct LimitsTests {
    static func seed(mode: String = "server", timeLimit: Double? = nil, quota: Double? = nil) -> Seed {
        Seed(
            server: Seed.ServerSettings(sessionMinutes: 3000, mode: mode),
            personalAccessTokens: [Seed.PATSeed(name: "admin", secret: "a", user: "admin@example.com")],
            sites: [
                Seed.SiteSeed(
                    name: "Default", contentUrl: "",
                    users: [Seed.UserSeed(name: "admin@example.com", siteRole: "SiteAdministratorCreator")],
                    datasources: [
                        Seed.ContentSeed(name: "Huge", refresh: RefreshBehaviour(durationSeconds: 9000)),
                        Seed.ContentSeed(name: "Stuck", refresh: RefreshBehaviour(outcome: .hang)),
                        Seed.ContentSeed(name: "Daily", refresh: RefreshBehaviour(durationSeconds: 60)),
                        Seed.ContentSeed(name: "Paused", refresh: RefreshBehaviour(durationSeconds: 5)),
                    ],
                    extractRefreshTasks: [Seed.TaskSeed(datasource: "Paused", frequency: "Daily", suspended: true)],
                    refreshTimeLimitSeconds: timeLimit, dailyRefreshSeconds: quota
                )
            ]
        )
    }

    func withSite(_ seed: Seed, _ body: @Sendable (RunningEmulator, EmulatorClock, Tab) async throws -> Void) async throws {
        let (clock, configuration) = Demo.manual()
        try await withEmulator(seed: seed, configuration: configuration) { emulator in
            try await body(emulator, clock, try await Tab(emulator).signedIn(pat: "admin", secret: "a"))
        }
    }

    func start(_ tab: Tab, _ name: String) async throws -> String {
        let id = try await tab.id(of: "datasources", named: name)
        let answer = try await tab.post("sites/SITE/datasources/\(id)/refresh", "{}")
        try #require(answer.status == 202, "\(answer)")
        return try #require(try answer.json()["job"]["id"].stringValue)
    }

    func job(_ tab: Tab, _ id: String) async throws -> JSON {
        try await tab.get("sites/SITE/jobs/\(id)").json()["job"]
    }

    @Test func cloudModeKillsRefreshesAtTwoHoursWithTableausError() async throws {
        try await withSite(Self.seed(mode: "cloud")) { _, clock, admin in
            let huge = try await start(admin, "Huge")
            let stuck = try await start(admin, "Stuck")
            clock.advance(by: 7199)
            #expect(try await job(admin, huge)["finishCode"].isNull)
            clock.advance(by: 1)
            for id in [huge, stuck] {
                let ended = try await job(admin, id)
                #expect(ended["finishCode"].intValue == 1)
                #expect(ended["extractRefreshJob"]["notes"].allText.contains("The query time resource limit (7200 seconds) was exceeded."))
                #expect(ended["completedAt"] == .string("2026-01-01T02:00:00Z"))
            }
        }
    }

    @Test func serverModeHasNoTimeLimitUnlessTheSeedSetsOne() async throws {
        try await withSite(Self.seed()) { _, clock, admin in
            let huge = try await start(admin, "Huge")
            clock.advance(by: 8000)
            #expect(try await job(admin, huge)["finishCode"].isNull)
        }
        try await withSite(Self.seed(timeLimit: 30)) { _, clock, admin in
            let huge = try await start(admin, "Huge")
            clock.advance(by: 30)
            #expect(try await job(admin, huge)["extractRefreshJob"]["notes"].allText.contains("(30 seconds)"))
        }
    }

    @Test func aUsedUpDailyCapacityFailsRefreshesUntilMidnightUTC() async throws {
        try await withSite(Self.seed(quota: 100)) { _, clock, admin in
            for _ in 0..<2 {
                let id = try await start(admin, "Daily")
                clock.advance(by: 60)
                #expect(try await job(admin, id)["finishCode"].intValue == 0)
            }
            let refused = try await start(admin, "Daily")
            let ended = try await job(admin, refused)
            #expect(ended["finishCode"].intValue == 1)
            #expect(ended["extractRefreshJob"]["notes"].allText.contains("No more non-interactive quota remaining for your site"))
            clock.advance(by: 86_400)
            let tomorrow = try await start(admin, "Daily")
            clock.advance(by: 60)
            #expect(try await job(admin, tomorrow)["finishCode"].intValue == 0)
        }
    }

    @Test func aSuspendedTasksItemFailsToRefreshSayingSo() async throws {
        try await withSite(Self.seed()) { _, clock, admin in
            let id = try await start(admin, "Paused")
            clock.advance(by: 1)
            let ended = try await job(admin, id)
            #expect(ended["finishCode"].intValue == 1)
            #expect(ended["extractRefreshJob"]["notes"].allText.contains("is suspended"))
        }
    }

    @Test func a429CanNameItsWaitInWordsWithoutRetryAfter() async throws {
        try await withSite(Self.seed()) { emulator, _, admin in
            emulator.state.setFaults(FaultSettings(failNext: [
                ScriptedFault(status: 429, pathContains: "/refresh", message: "Too many requests. Please retry after 29 minutes")
            ]))
            let id = try await admin.id(of: "datasources", named: "Daily")
            let answer = try await admin.post("sites/SITE/datasources/\(id)/refresh", "{}")
            #expect(answer.status == 429)
            #expect(answer.headers.first(name: "Retry-After") == nil)
            let error = try answer.json()["error"]
            #expect(error["code"] == .string("429000"))
            #expect(error["detail"] == .string("Too many requests. Please retry after 29 minutes"))
        }
    }
}

extension JSON {
    /// Every string in the value, joined (Tableau's notes come as a list of strings or objects).
    var allText: String {
        switch self {
        case .string(let text): text
        case .array(let items): items.map(\.allText).joined(separator: "\n")
        case .object(let members): members.values.map(\.allText).joined(separator: "\n")
        default: ""
        }
    }
}
