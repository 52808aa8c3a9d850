import Foundation
import TableauEmulator
import Testing

/// Extract-refresh task schedules: `nextRunAt` by frequency, `createdAt`/`updatedAt`, Tableau
/// Cloud's task shape, Query Schedules and a schedule's extracts (issue #21 item 7).
@Suite struct ScheduleTests {
    static func seed(mode: String = "server") throws -> Seed {
        var seed = try Demo.seed()
        seed.server?.mode = mode
        seed.sites[0].extractRefreshTasks = [
            Seed.TaskSeed(datasource: "Sales", frequency: "Hourly", schedule: "Every hour", at: "00:15"),
            Seed.TaskSeed(datasource: "Orders", frequency: "Daily", schedule: "Nightly", at: "02:30"),
            Seed.TaskSeed(datasource: "Web Traffic", frequency: "Weekly", schedule: "Midweek", weekDay: "Wednesday"),
            Seed.TaskSeed(workbook: "Executive Dashboard", incremental: true, frequency: "Monthly", schedule: "Month start"),
            Seed.TaskSeed(workbook: "Finance Overview", frequency: "Daily", schedule: "Nightly"),
        ]
        return seed
    }

    /// Task → schedule, keyed by the schedule's frequency.
    static func schedules(_ tab: Tab) async throws -> [String: JSON] {
        let tasks = try await tab.get("sites/SITE/tasks/extractRefreshes").json()["tasks"]["task"].items
        var result: [String: JSON] = [:]
        for task in tasks {
            let schedule = task["extractRefresh"]["schedule"]
            result[schedule["frequency"].stringValue ?? "?"] = schedule
        }
        return result
    }

    @Test func nextRunAtDependsOnTheFrequency() async throws {
        // The manual clock starts at 2026-01-01T00:00:00Z, a Thursday.
        let (clock, configuration) = Demo.manual()
        try await withEmulator(seed: Self.seed(), configuration: configuration) { emulator in
            let tab = try await Tab(emulator).admin()
            var schedules = try await Self.schedules(tab)
            #expect(schedules["Hourly"]?["nextRunAt"] == .string("2026-01-01T00:15:00Z"))
            #expect(schedules["Daily"]?["nextRunAt"] == .string("2026-01-01T02:30:00Z"))
            #expect(schedules["Weekly"]?["nextRunAt"] == .string("2026-01-07T06:00:00Z"))
            #expect(schedules["Monthly"]?["nextRunAt"] == .string("2026-01-01T06:00:00Z"))
            for schedule in schedules.values {
                #expect(NegotiationTests.isTableauDate(schedule["createdAt"].stringValue))
                #expect(NegotiationTests.isTableauDate(schedule["updatedAt"].stringValue))
                #expect(schedule["id"].stringValue != nil)
            }
            clock.advance(by: 3600)
            schedules = try await Self.schedules(tab)
            #expect(schedules["Hourly"]?["nextRunAt"] == .string("2026-01-01T01:15:00Z"))
        }
    }

    @Test func cloudTasksHaveFrequencyDetailsAndNoServerSchedules() async throws {
        let (_, configuration) = Demo.manual()
        try await withEmulator(seed: Self.seed(mode: "cloud"), configuration: configuration) { emulator in
            let tab = try await Tab(emulator).admin()
            let schedules = try await Self.schedules(tab)
            let weekly = try #require(schedules["Weekly"])
            #expect(weekly["id"] == .null)
            #expect(weekly["name"] == .null)
            #expect(weekly["frequencyDetails"]["start"] == .string("06:00:00"))
            #expect(weekly["frequencyDetails"]["intervals"]["interval"][0]["weekDay"] == .string("Wednesday"))
            #expect(try await tab.get("schedules").status == 404)
        }
    }

    @Test func querySchedulesAndTheirExtracts() async throws {
        let (_, configuration) = Demo.manual()
        try await withEmulator(seed: Self.seed(), configuration: configuration) { emulator in
            let tab = try await Tab(emulator).admin()
            let list = try await tab.get("schedules").json()
            #expect(list["pagination"]["totalAvailable"] == .string("4"))
            let nightly = try #require(list["schedules"]["schedule"].items.first { $0["name"] == .string("Nightly") })
            let id = try #require(nightly["id"].stringValue)
            #expect(try await tab.get("schedules/\(id)").json()["schedule"]["frequency"] == .string("Daily"))
            let extracts = try await tab.get("sites/SITE/schedules/\(id)/extracts").json()["extracts"]["extract"].items
            #expect(extracts.count == 2)
            #expect(extracts.contains { $0["workbook"]["id"].stringValue != nil })
            #expect(try await tab.get("schedules/nope").status == 404)
            // Only administrators query schedules.
            #expect(try await Tab(emulator).analyst().get("schedules").status == 403)
        }
    }

    @Test func badScheduleSeedsAreRefused() throws {
        var seed = try Demo.seed()
        seed.sites[0].extractRefreshTasks = [Seed.TaskSeed(datasource: "Sales", frequency: "Fortnightly")]
        #expect(throws: SeedError.self) { _ = try EmulatorState(seed: seed) }
        seed.sites[0].extractRefreshTasks = [Seed.TaskSeed(datasource: "Sales", at: "25:00")]
        #expect(throws: SeedError.self) { _ = try EmulatorState(seed: seed) }
    }
}
