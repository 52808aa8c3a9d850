import Foundation
import NIOHTTP1
import TableauEmulator
import Testing

/// The admin API under `/_emulator/`: request log, health, sessions, unknown paths.
@Suite struct AdminTests {
    @Test func everyRequestIsLoggedAndTheLogCanBeCleared() async throws {
        try await withEmulator(seed: Demo.seed()) { emulator in
            #expect(try await emulator.admin(.DELETE, "requests").status == 204)
            let tab = try await Tab(emulator).admin()
            _ = try await tab.get("sites/SITE/workbooks?pageSize=2&filter=name:eq:Live+Ops")
            _ = try await Tab(emulator).get("nope")
            let entries = try await emulator.admin(.GET, "requests").json().items
            // The clearing DELETE is logged too (after its answer), then the three API calls.
            #expect(entries.count == 4)
            #expect(entries.first?["path"] == .string("/_emulator/requests"))
            let log = Array(entries.dropFirst())
            #expect(log[0]["method"] == .string("POST"))
            #expect(log[0]["path"] == .string("/api/3.24/auth/signin"))
            #expect(log[0]["status"].intValue == 200)
            #expect(log[1]["method"] == .string("GET"))
            #expect(log[1]["path"] == .string("/api/3.24/sites/\(tab.siteId)/workbooks"))
            #expect(log[1]["query"] == .string("pageSize=2&filter=name:eq:Live+Ops"))
            #expect(log[2]["status"].intValue == 404)
            let time = try #require(log[1]["time"].stringValue)
            #expect(time.wholeMatch(of: #/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z/#) != nil)

            #expect(try await emulator.admin(.DELETE, "requests").status == 204)
            let cleared = try await emulator.admin(.GET, "requests").json().items
            // Only the DELETE itself was logged after clearing.
            #expect(cleared.count == 1)
            #expect(cleared[0]["method"] == .string("DELETE"))
        }
    }

    @Test func theRequestLogIsBounded() async throws {
        try await withEmulator(seed: Demo.seed(), configuration: EmulatorConfiguration(requestLogLimit: 5)) { emulator in
            for _ in 0..<12 { _ = try await Tab(emulator).get("serverinfo") }
            let log = try await emulator.admin(.GET, "requests").json().items
            #expect(log.count == 5)
        }
    }

    @Test func healthSessionsJobsAndDeliveries() async throws {
        try await withEmulator(seed: Demo.seed()) { emulator in
            #expect(try await emulator.admin(.GET, "health").json()["status"] == .string("ok"))
            #expect(try await emulator.admin(.GET, "sessions").json().items.isEmpty)
            #expect(try await emulator.admin(.GET, "jobs").json().items.isEmpty)
            #expect(try await emulator.admin(.GET, "webhook-deliveries").json().items.isEmpty)
            let tab = try await Tab(emulator).analyst()
            let sessions = try await emulator.admin(.GET, "sessions").json().items
            #expect(sessions.count == 1)
            #expect(sessions[0]["userId"].stringValue == tab.userId)
            #expect(sessions[0]["siteId"].stringValue == tab.siteId)
            #expect(sessions[0]["expiresAt"].stringValue != nil)
            let unknown = try await emulator.admin(.GET, "nothing")
            #expect(unknown.status == 404)
            #expect(try unknown.json()["error"].stringValue != nil)
        }
    }

    @Test func stateIsNotSharedBetweenEmulators() async throws {
        try await withEmulator(seed: Demo.seed()) { first in
            try await withEmulator(seed: Demo.seed()) { second in
                #expect(first.port != second.port)
                let tab = try await Tab(first).admin()
                #expect(try await first.admin(.GET, "sessions").json().items.count == 1)
                #expect(try await second.admin(.GET, "sessions").json().items.isEmpty)
                var elsewhere = tab
                elsewhere.base = second.baseURL
                #expect(try await elsewhere.get("sites/SITE/workbooks").status == 401)
            }
        }
    }
}
