import Foundation
import NIOHTTP1
import TableauEmulator
import Testing

/// Refresh now, jobs, cancel, Query Jobs, the per-site job limit and extract-refresh tasks (REST-API.md §6–§8).
@Suite struct JobTests {
    static func seed(maxConcurrentJobs: Int? = nil) -> Seed {
        Seed(
            personalAccessTokens: [
                Seed.PATSeed(name: "admin", secret: "a", user: "admin@example.com"),
                Seed.PATSeed(name: "creator", secret: "c", user: "creator@example.com"),
                Seed.PATSeed(name: "viewer", secret: "v", user: "viewer@example.com"),
            ],
            sites: [
                Seed.SiteSeed(
                    name: "Default", contentUrl: "", maxConcurrentJobs: maxConcurrentJobs,
                    users: [
                        Seed.UserSeed(name: "admin@example.com", siteRole: "SiteAdministratorCreator"),
                        Seed.UserSeed(name: "creator@example.com", siteRole: "Creator"),
                        Seed.UserSeed(name: "viewer@example.com", siteRole: "Viewer"),
                    ],
                    datasources: [
                        Seed.ContentSeed(name: "Slow", refresh: RefreshBehaviour(durationSeconds: 20, queueSeconds: 10)),
                        Seed.ContentSeed(name: "Broken", refresh: RefreshBehaviour(durationSeconds: 5, outcome: .failure, notes: "ORA-12541: TNS:no listener")),
                        Seed.ContentSeed(name: "Stuck", refresh: RefreshBehaviour(outcome: .hang)),
                        Seed.ContentSeed(name: "Live", hasExtracts: false, type: "postgres"),
                        Seed.ContentSeed(name: "Flaky", refresh: RefreshBehaviour(durationSeconds: 1, outcomes: [.failure, .success])),
                        Seed.ContentSeed(name: "A", refresh: RefreshBehaviour(durationSeconds: 10)),
                        Seed.ContentSeed(name: "B", refresh: RefreshBehaviour(durationSeconds: 10)),
                        Seed.ContentSeed(name: "C", refresh: RefreshBehaviour(durationSeconds: 10)),
                    ],
                    workbooks: [
                        Seed.ContentSeed(name: "Book", refresh: RefreshBehaviour(durationSeconds: 3)),
                        Seed.ContentSeed(name: "Live Book", hasExtracts: false),
                    ],
                    extractRefreshTasks: [Seed.TaskSeed(datasource: "Slow", frequency: "Daily", schedule: "Nightly")]
                )
            ]
        )
    }

    /// Runs `body` with an emulator on a manual clock and a signed-in site administrator.
    func withJobs(
        maxConcurrentJobs: Int? = nil, _ body: @Sendable (RunningEmulator, EmulatorClock, Tab) async throws -> Void
    ) async throws {
        let (clock, configuration) = Demo.manual()
        try await withEmulator(seed: Self.seed(maxConcurrentJobs: maxConcurrentJobs), configuration: configuration) { emulator in
            let admin = try await Tab(emulator).signedIn(pat: "admin", secret: "a")
            try await body(emulator, clock, admin)
        }
    }

    func refresh(_ tab: Tab, _ name: String, kind: String = "datasources", body: String = "{}") async throws -> Answer {
        let id = try await tab.id(of: kind, named: name)
        return try await tab.post("sites/SITE/\(kind)/\(id)/refresh", body)
    }

    func startJob(_ tab: Tab, _ name: String, kind: String = "datasources", body: String = "{}") async throws -> String {
        let answer = try await refresh(tab, name, kind: kind, body: body)
        try #require(answer.status == 202, "\(answer)")
        return try #require(try answer.json()["job"]["id"].stringValue)
    }

    func job(_ tab: Tab, _ id: String) async throws -> JSON {
        let answer = try await tab.get("sites/SITE/jobs/\(id)")
        try #require(answer.status == 200, "\(answer)")
        return try answer.json()["job"]
    }

    func status(_ tab: Tab, _ id: String) async throws -> String? {
        let jobs = try await tab.get("sites/SITE/jobs?filter=id:eq:\(id)").json()
        return jobs["backgroundJobs"]["backgroundJob"][0]["status"].stringValue
    }

    @Test func refreshReturns202WithAnAsynchronousRefreshExtractJob() async throws {
        try await withJobs { _, _, admin in
            let answer = try await refresh(admin, "Slow")
            #expect(answer.status == 202)
            let job = try answer.json()["job"]
            #expect(job["id"].stringValue?.count == 36)
            #expect(job["mode"] == .string("Asynchronous"))
            #expect(job["type"] == .string("RefreshExtract"))
            #expect(job["createdAt"] == .string("2026-01-01T00:00:00Z"))
            #expect(job["extractRefreshJob"]["datasource"]["name"] == .string("Slow"))

            var xml = admin
            xml.wantsJSON = false
            let book = try await refresh(xml, "Book", kind: "workbooks", body: "<tsRequest/>")
            #expect(book.status == 202)
            let root = try XMLNode.parse(book.body)
            #expect(root.first("job")?["mode"] == "Asynchronous")
            #expect(root.first("extractRefreshJob")?.first("workbook")?["name"] == "Book")
        }
    }

    @Test func aJobGoesPendingThenInProgressThenSucceeds() async throws {
        try await withJobs { _, clock, admin in
            let id = try await startJob(admin, "Slow")
            var job = try await job(admin, id)
            #expect(job["startedAt"].isNull)
            #expect(job["finishCode"].isNull)
            #expect(job["completedAt"].isNull)
            #expect(job["progress"].intValue == 0)
            #expect(try await status(admin, id) == "Pending")

            clock.advance(by: 10)
            job = try await self.job(admin, id)
            #expect(job["startedAt"] == .string("2026-01-01T00:00:10Z"))
            #expect(job["finishCode"].isNull)
            #expect(try await status(admin, id) == "InProgress")

            clock.advance(by: 10)
            job = try await self.job(admin, id)
            #expect(job["progress"].intValue == 50)

            clock.advance(by: 10)
            job = try await self.job(admin, id)
            #expect(job["completedAt"] == .string("2026-01-01T00:00:30Z"))
            #expect(job["finishCode"].intValue == 0)
            #expect(job["progress"].intValue == 100)
            #expect(job["extractRefreshJob"]["notes"].isNull)
            #expect(try await status(admin, id) == "Success")
        }
    }

    @Test func theAdminClockEndpointMovesJobsToo() async throws {
        try await withJobs { emulator, _, admin in
            let id = try await startJob(admin, "Slow")
            let moved = try await emulator.admin(.POST, "clock/advance", #"{"seconds": 30}"#)
            #expect(moved.status == 200)
            #expect(try moved.json()["now"] == .string("2026-01-01T00:00:30Z"))
            #expect(try await job(admin, id)["finishCode"].intValue == 0)
            let jobs = try await emulator.admin(.GET, "jobs").json()
            #expect(jobs[0]["status"] == .string("Success"))
            #expect(jobs[0]["itemName"] == .string("Slow"))
            #expect(try await emulator.admin(.POST, "clock/advance", #"{"seconds": -1}"#).status == 400)
        }
    }

    @Test func advancingASystemClockIsRefused() async throws {
        try await withEmulator(seed: Demo.seed()) { emulator in
            let answer = try await emulator.admin(.POST, "clock/advance", #"{"seconds": 5}"#)
            #expect(answer.status == 409)
        }
    }

    @Test func aFailedJobHasFinishCode1AndNotes() async throws {
        try await withJobs { _, clock, admin in
            let id = try await startJob(admin, "Broken")
            clock.advance(by: 5)
            let job = try await job(admin, id)
            #expect(job["finishCode"].intValue == 1)
            #expect(job["extractRefreshJob"]["notes"] == .string("ORA-12541: TNS:no listener"))
            #expect(try await status(admin, id) == "Failed")

            var xml = admin
            xml.wantsJSON = false
            let root = try XMLNode.parse(try await xml.get("sites/SITE/jobs/\(id)").body)
            #expect(root.first("job")?["finishCode"] == "1")
            #expect(root.first("notes")?.text == "ORA-12541: TNS:no listener")
        }
    }

    @Test func successiveOutcomesFollowTheSeedList() async throws {
        try await withJobs { _, clock, admin in
            let first = try await startJob(admin, "Flaky")
            clock.advance(by: 1)
            #expect(try await job(admin, first)["finishCode"].intValue == 1)
            let second = try await startJob(admin, "Flaky")
            clock.advance(by: 1)
            #expect(try await job(admin, second)["finishCode"].intValue == 0)
            let third = try await startJob(admin, "Flaky")
            clock.advance(by: 1)
            #expect(try await job(admin, third)["finishCode"].intValue == 0)
        }
    }

    @Test func aDuplicateRefreshIs409093UntilTheJobEnds() async throws {
        try await withJobs { _, clock, admin in
            _ = try await startJob(admin, "Slow")
            let duplicate = try await refresh(admin, "Slow")
            #expect(duplicate.status == 409)
            let error = try duplicate.json()["error"]
            #expect(error["code"] == .string("409093"))
            #expect(error["summary"] == .string("Resource Conflict"))
            #expect(error["detail"] == .string("Job for 'Slow' is already queued. Not queuing a duplicate."))
            clock.advance(by: 15)
            #expect(try await refresh(admin, "Slow").status == 409)
            clock.advance(by: 15)
            #expect(try await refresh(admin, "Slow").status == 202)
        }
    }

    @Test func liveItemsCannotBeRefreshed() async throws {
        try await withJobs { _, _, admin in
            let datasource = try await refresh(admin, "Live")
            #expect(datasource.status == 409)
            #expect(Tab.errorCode(datasource) == "409090")
            let workbook = try await refresh(admin, "Live Book", kind: "workbooks")
            #expect(workbook.status == 409)
            let error = try workbook.json()["error"]
            #expect(error["code"] == .string("409090"))
            #expect(error["detail"].stringValue?.contains("Extract operation for the workbook") == true)
        }
    }

    @Test func refreshingAnUnknownItemIs404() async throws {
        try await withJobs { _, _, admin in
            let workbook = try await admin.post("sites/SITE/workbooks/00000000-0000-0000-0000-000000000000/refresh", "{}")
            #expect(workbook.status == 404)
            #expect(Tab.errorCode(workbook) == "404006")
            let datasource = try await admin.post("sites/SITE/datasources/00000000-0000-0000-0000-000000000000/refresh", "{}")
            #expect(Tab.errorCode(datasource) == "404011")
            let job = try await admin.get("sites/SITE/jobs/00000000-0000-0000-0000-000000000000")
            #expect(job.status == 404)
            #expect(Tab.errorCode(job) == "404000")
        }
    }

    @Test func viewersCannotRefresh() async throws {
        try await withJobs { emulator, _, admin in
            var viewer = try await Tab(emulator).signedIn(pat: "viewer", secret: "v")
            viewer.siteId = admin.siteId
            let answer = try await refresh(viewer, "Slow")
            #expect(answer.status == 403)
            #expect(Tab.errorCode(answer) == "403000")
        }
    }

    @Test func cancellingAHangingJobGivesFinishCode2() async throws {
        try await withJobs { _, clock, admin in
            let id = try await startJob(admin, "Stuck")
            clock.advance(by: 3600)
            var job = try await job(admin, id)
            #expect(job["finishCode"].isNull)
            #expect(job["startedAt"].stringValue != nil)
            #expect(try await status(admin, id) == "InProgress")

            let cancel = try await admin.put("sites/SITE/jobs/\(id)")
            #expect(cancel.status == 200)
            #expect(try cancel.json()["job"]["finishCode"].intValue == 2)
            job = try await self.job(admin, id)
            #expect(job["finishCode"].intValue == 2)
            #expect(job["completedAt"].stringValue != nil)
            #expect(try await status(admin, id) == "Cancelled")
            // Cancelling again changes nothing; a new refresh is no duplicate.
            #expect(try await admin.put("sites/SITE/jobs/\(id)").status == 200)
            #expect(try await refresh(admin, "Stuck").status == 202)
        }
    }

    @Test func cancellingAPendingJobAndAFinishedOne() async throws {
        try await withJobs { _, clock, admin in
            let pending = try await startJob(admin, "Slow")
            let cancelled = try await admin.put("sites/SITE/jobs/\(pending)").json()["job"]
            #expect(cancelled["finishCode"].intValue == 2)
            let done = try await startJob(admin, "Book", kind: "workbooks")
            clock.advance(by: 3)
            let finished = try await admin.put("sites/SITE/jobs/\(done)").json()["job"]
            #expect(finished["finishCode"].intValue == 0)
        }
    }

    @Test func queryJobsFiltersByStatusAndJobType() async throws {
        try await withJobs { _, clock, admin in
            let slow = try await startJob(admin, "Slow")
            let broken = try await startJob(admin, "Broken")
            let incremental = try await startJob(admin, "Book", kind: "workbooks", body: #"{"extractRefresh":{"incremental":"true"}}"#)
            let stuck = try await startJob(admin, "Stuck", body: #"<tsRequest><extractRefresh incremental="false"/></tsRequest>"#)
            clock.advance(by: 5)

            func ids(_ filter: String) async throws -> Set<String> {
                let answer = try await admin.get("sites/SITE/jobs?filter=\(filter)")
                try #require(answer.status == 200, "\(answer)")
                return Set(try answer.json()["backgroundJobs"]["backgroundJob"].items.compactMap { $0["id"].stringValue })
            }
            #expect(try await ids("status:eq:Pending") == [slow])
            #expect(try await ids("status:eq:Failed") == [broken])
            #expect(try await ids("status:eq:Success") == [incremental])
            #expect(try await ids("status:eq:InProgress") == [stuck])
            #expect(try await ids("jobType:eq:increment_extracts") == [incremental])
            #expect(try await ids("jobType:eq:refresh_extracts") == [slow, broken, stuck])
            #expect(try await ids("jobType:eq:refresh_extracts,status:eq:InProgress") == [stuck])
            #expect(try await ids("jobType:in:[refresh_extracts,increment_extracts]").count == 4)

            let all = try await admin.get("sites/SITE/jobs").json()
            #expect(all["pagination"]["totalAvailable"] == .string("4"))
            let failed = try #require(all["backgroundJobs"]["backgroundJob"].items.first { $0["id"].stringValue == broken })
            #expect(failed["endedAt"].stringValue != nil)
            #expect(failed["jobType"] == .string("refresh_extracts"))
            #expect(failed["title"] == .string("Broken"))
        }
    }

    @Test func nonAdministratorsCannotQueryJobsOrUsersButCanPollTheirJob() async throws {
        try await withJobs { emulator, _, admin in
            var creator = try await Tab(emulator).signedIn(pat: "creator", secret: "c")
            creator.siteId = admin.siteId
            let id = try await startJob(creator, "Book", kind: "workbooks")
            let jobs = try await creator.get("sites/SITE/jobs")
            #expect(jobs.status == 403)
            #expect(Tab.errorCode(jobs) == "403000")
            let users = try await creator.get("sites/SITE/users")
            #expect(users.status == 403)
            #expect(Tab.errorCode(users) == "403000")
            #expect(try await creator.get("sites/SITE/jobs/\(id)").status == 200)
        }
    }

    @Test func aSitesJobLimitKeepsExtraJobsPending() async throws {
        try await withJobs(maxConcurrentJobs: 2) { _, clock, admin in
            let a = try await startJob(admin, "A")
            let b = try await startJob(admin, "B")
            let c = try await startJob(admin, "C")
            clock.advance(by: 1)
            #expect(try await status(admin, a) == "InProgress")
            #expect(try await status(admin, b) == "InProgress")
            #expect(try await status(admin, c) == "Pending")
            clock.advance(by: 9)
            #expect(try await status(admin, a) == "Success")
            #expect(try await status(admin, c) == "InProgress")
            let started = try await job(admin, c)["startedAt"]
            #expect(started == .string("2026-01-01T00:00:10Z"))
            clock.advance(by: 10)
            #expect(try await status(admin, c) == "Success")
        }
    }

    @Test func theFaultsJobLimitAppliesToSitesWithoutTheirOwn() async throws {
        try await withJobs { emulator, clock, admin in
            let set = try await emulator.admin(.PUT, "faults", #"{"maxConcurrentJobsPerSite": 1}"#)
            #expect(set.status == 200)
            let a = try await startJob(admin, "A")
            let b = try await startJob(admin, "B")
            clock.advance(by: 1)
            #expect(try await status(admin, a) == "InProgress")
            #expect(try await status(admin, b) == "Pending")
            #expect(try await emulator.admin(.PUT, "faults", "{}").status == 200)
            clock.advance(by: 1)
            #expect(try await status(admin, b) == "InProgress")
        }
    }

    @Test func extractRefreshTasksListAndRunNow() async throws {
        try await withJobs { _, clock, admin in
            let tasks = try await admin.get("sites/SITE/tasks/extractRefreshes").json()
            let task = tasks["tasks"]["task"][0]["extractRefresh"]
            let taskId = try #require(task["id"].stringValue)
            let slow = try await admin.id(of: "datasources", named: "Slow")
            #expect(task["datasource"]["id"].stringValue == slow)
            #expect(task["type"] == .string("RefreshExtractTask"))
            #expect(task["schedule"]["frequency"] == .string("Daily"))
            #expect(task["schedule"]["name"] == .string("Nightly"))
            #expect(try await admin.get("sites/SITE/tasks/extractRefreshes/\(taskId)").json()["task"]["extractRefresh"]["id"].stringValue == taskId)

            let run = try await admin.post("sites/SITE/tasks/extractRefreshes/\(taskId)/runNow", "{}")
            #expect(run.status == 200)
            let job = try run.json()["job"]
            #expect(job["type"] == .string("RefreshExtract"))
            #expect(job["extractRefreshJob"]["datasource"]["id"].stringValue == slow)
            let again = try await admin.post("sites/SITE/tasks/extractRefreshes/\(taskId)/runNow", "<tsRequest/>")
            #expect(again.status == 409)
            #expect(Tab.errorCode(again) == "409093")
            clock.advance(by: 30)
            let jobId = try #require(job["id"].stringValue)
            #expect(try await self.job(admin, jobId)["finishCode"].intValue == 0)
            let missing = try await admin.post("sites/SITE/tasks/extractRefreshes/nope/runNow", "{}")
            #expect(missing.status == 404)
        }
    }

    @Test func theDemoSeedsJobsBehaveAsTheReadmeSays() async throws {
        let (clock, configuration) = Demo.manual()
        try await withEmulator(seed: Demo.seed(), configuration: configuration) { emulator in
            let admin = try await Tab(emulator).admin()
            var ids: [String: String] = [:]
            for name in ["Sales", "Orders", "Inventory"] {
                ids[name] = try await startJob(admin, name)
            }
            #expect(try await refresh(admin, "Customers Live").status == 409)
            clock.advance(by: 600)
            #expect(try await job(admin, ids["Sales"]!)["finishCode"].intValue == 0)
            #expect(try await job(admin, ids["Orders"]!)["finishCode"].intValue == 1)
            #expect(try await job(admin, ids["Inventory"]!)["finishCode"].isNull)
        }
    }
}
