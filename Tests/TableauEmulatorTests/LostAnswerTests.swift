import Foundation
import NIOHTTP1
import TableauEmulator
import Testing

/// `loseAnswerRate` and `failNext[].loseAnswer`: the request is processed, then the connection is
/// closed without an answer ("Tableau queued the job but the answer was lost").
@Suite struct LostAnswerTests {
    func salesRefresh(_ tab: Tab) async throws -> String {
        let id = try await tab.id(of: "datasources", named: "Sales")
        return "sites/SITE/datasources/\(id)/refresh"
    }

    func jobsFor(_ emulator: RunningEmulator, item name: String) async throws -> [JSON] {
        try await emulator.admin(.GET, "jobs").json().items.filter { $0["itemName"] == .string(name) }
    }

    @Test func aScriptedLostAnswerQueuesTheJobAndDropsTheConnection() async throws {
        let (_, configuration) = Demo.manual()
        try await withEmulator(seed: Demo.seed(), configuration: configuration) { emulator in
            let tab = try await Tab(emulator).admin()
            let path = try await salesRefresh(tab)
            let set = try await emulator.admin(.PUT, "faults", #"{"failNext":[{"loseAnswer":true,"method":"POST","pathContains":"/refresh"}]}"#)
            #expect(set.status == 200)
            #expect(try set.json()["failNext"][0]["loseAnswer"] == .bool(true))
            #expect(try await jobsFor(emulator, item: "Sales").isEmpty)

            await #expect(throws: (any Error).self) {
                _ = try await tab.post(path, "{}")
            }
            let jobs = try await jobsFor(emulator, item: "Sales")
            #expect(jobs.count == 1)
            #expect(jobs.first?["status"] == .string("Pending") || jobs.first?["status"] == .string("InProgress"))
            let log = try await emulator.admin(.GET, "requests").json().items
            #expect(log.contains { ($0["path"].stringValue ?? "").hasSuffix("/refresh") && $0["status"].intValue == 0 })
            // Only the next matching answer is lost: the retry is answered (409093, the job is already queued).
            let retry = try await tab.post(path, "{}")
            #expect(retry.status == 409)
            #expect(Tab.errorCode(retry) == "409093")
            #expect(try await emulator.admin(.GET, "faults").json()["failNext"].items.isEmpty)
        }
    }

    @Test func loseAnswerRateOneProcessesEveryMatchingRequest() async throws {
        let (_, configuration) = Demo.manual()
        try await withEmulator(seed: Demo.seed(), configuration: configuration) { emulator in
            let tab = try await Tab(emulator).admin()
            let path = try await salesRefresh(tab)
            let set = try await emulator.admin(.PUT, "faults", #"{"loseAnswerRate":1.0,"pathContains":"/refresh"}"#)
            #expect(try set.json()["loseAnswerRate"].intValue == 1)
            await #expect(throws: (any Error).self) {
                _ = try await tab.post(path, "{}")
            }
            #expect(try await jobsFor(emulator, item: "Sales").count == 1)
            // Paths outside pathContains are answered.
            #expect(try await tab.get("sites/SITE/datasources").status == 200)
            _ = try await emulator.admin(.PUT, "faults", "{}")
            #expect(try await tab.post(path, "{}").status == 409)
        }
    }

    @Test func loseAnswerFromTheSeed() async throws {
        var seed = try Demo.seed()
        seed.faults = FaultSettings(failNext: [ScriptedFault(status: nil, pathContains: "serverinfo", loseAnswer: true)])
        try await withEmulator(seed: seed) { emulator in
            await #expect(throws: (any Error).self) {
                _ = try await Tab(emulator).get("serverinfo")
            }
            let next = try await Tab(emulator).get("serverinfo")
            #expect(next.status == 200)
        }
        let decoded = try SeedLoader.decode(Data(#"{"sites":[{"name":"Default"}],"faults":{"loseAnswerRate":0.5,"failNext":[{"loseAnswer":true}]}}"#.utf8))
        #expect(decoded.faults?.loseAnswerRate == 0.5)
        #expect(decoded.faults?.failNext.first?.loseAnswer == true)
    }

    @Test(arguments: [#"{"loseAnswerRate":1.5}"#, #"{"failNext":[{"status":503,"loseAnswer":true}]}"#, #"{"failNext":[{"loseAnswer":"yes"}]}"#])
    func invalidLostAnswerSettingsAre400(body: String) async throws {
        try await withEmulator(seed: Demo.seed()) { emulator in
            let answer = try await emulator.admin(.PUT, "faults", body)
            #expect(answer.status == 400)
            #expect(try await emulator.admin(.GET, "faults").json()["loseAnswerRate"].intValue == 0)
        }
    }
}
