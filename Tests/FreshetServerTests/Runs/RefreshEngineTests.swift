import Foundation
import Freshet
import FreshetServer
import TableauClient
import TableauEmulator
import Testing

/// The run engine against the emulator over real sockets, on a real SQLite file.
@Suite struct RefreshEngineTests {
    /// Runs `body` with an emulator on the fast seed, a data directory with the "demo"
    /// connection, and an engine on it.
    func withEngine(
        emulator configuration: EmulatorConfiguration = EmulatorConfiguration(),
        _ body: @escaping @Sendable (RunningEmulator, FreshetRuntime, RefreshEngine) async throws -> Void
    ) async throws {
        let data = DemoDataDirectory()
        defer { data.remove() }
        try await withEmulator(seed: try RefreshSeed.seed(), configuration: configuration) { emulator in
            let runtime = try await data.addDemoConnection(emulator)
            let engine = runtime.refreshEngine(configuration: RefreshSeed.configuration)
            try await body(emulator, runtime, engine)
            await engine.shutdown()
        }
    }

    func refresh(_ engine: RefreshEngine, _ targets: [RefreshTarget], key: String? = nil, timeout: Duration? = nil,
                 retries: Int = 1) async throws -> [Run] {
        let submission = try await engine.submit(
            RefreshRequest(connection: "demo", targets: targets, idempotencyKey: key, timeout: timeout,
                           retryPolicy: RunRetryPolicy(maxAttempts: retries, delay: 0)), actor: "test:ana")
        let runs = try await engine.wait(for: submission.runs.map(\.run.id), limit: .seconds(30))
        await engine.settle()  // a run's end is stored before its effects (audit, job cancel) happen
        return runs
    }

    @Test func aRefreshSucceedsAndIsAudited() async throws {
        try await withEngine { emulator, runtime, engine in
            let runs = try await refresh(engine, [.datasource("Quick")])
            let run = try #require(runs.first)
            #expect(runs.count == 1 && run.state == .succeeded && run.jobId != nil)
            #expect(run.attempts.map(\.outcome) == [.succeeded])
            #expect(emulator.refreshCalls() == 1)
            let audit = try await runtime.store.events(AuditQuery(target: run.id))
            #expect(Set(audit.map(\.action)) == ["run.accepted", "run.triggered", "run.finished"])
            #expect(audit.allSatisfy { $0.actor == "test:ana" })
            #expect(audit.first { $0.action == "run.finished" }?.outcome == "success")
        }
    }

    @Test func aFailedRefreshKeepsTableausNotesAndIsNotRetried() async throws {
        try await withEngine { emulator, runtime, engine in
            let run = try #require(try await refresh(engine, [.datasource("Broken")]).first)
            #expect(run.state == .failed)
            #expect(run.notes?.contains("Login failed for user 'etl'") == true)
            #expect(run.attempts.count == 1 && emulator.refreshCalls() == 1)
            let finished = try await runtime.store.events(AuditQuery(action: "run.finished", target: run.id))
            #expect(finished.first?.outcome == "failure" && finished.first?.details["notes"]?.contains("Login failed") == true)
        }
    }

    @Test func aFailedRefreshIsRetriedWhenTheRequestAsks() async throws {
        try await withEngine { emulator, runtime, engine in
            let run = try #require(try await refresh(engine, [.datasource("Broken")], retries: 3).first)
            #expect(run.state == .failed && run.attempts.count == 3)
            #expect(emulator.refreshCalls() == 3)
            #expect(try await runtime.store.events(AuditQuery(action: "run.retryScheduled", target: run.id)).count == 2)
        }
    }

    @Test func cancellingAWaitingRunCancelsTheTableauJob() async throws {
        try await withEngine { emulator, runtime, engine in
            let submission = try await engine.submit(RefreshRequest(connection: "demo", targets: [.datasource("Stuck")]), actor: "test:ana")
            let id = try #require(submission.runs.first?.run.id)
            var run = try #require(try await engine.run(id: id))
            while run.state != .waiting { run = try #require(try await engine.wait(for: [id], limit: .milliseconds(50)).first) }
            _ = try await engine.cancel(id: id, actor: "test:bob")
            run = try #require(try await engine.wait(for: [id], limit: .seconds(30)).first)
            await engine.settle()
            #expect(run.state == .cancelled && run.attempts.last?.outcome == .cancelled)
            let jobId = try #require(run.jobId)
            #expect(emulator.state.recordedRequests().contains { $0.method == "PUT" && $0.path.hasSuffix("/jobs/\(jobId)") })
            let cancelAudit = try await runtime.store.events(AuditQuery(action: "run.cancelRequested", target: id))
            #expect(cancelAudit.first?.actor == "test:bob")
        }
    }

    @Test func aRunPastItsDeadlineTimesOutAndItsJobIsCancelled() async throws {
        try await withEngine { emulator, _, engine in
            // Long enough for the trigger to reach Tableau even on a loaded machine.
            let run = try #require(try await refresh(engine, [.datasource("Stuck")], timeout: .seconds(5)).first)
            #expect(run.state == .timedOut && run.attempts.last?.outcome == .timedOut)
            let jobId = try #require(run.jobId)
            #expect(emulator.state.recordedRequests().contains { $0.method == "PUT" && $0.path.hasSuffix("/jobs/\(jobId)") })
        }
    }

    @Test func aRefreshSomeoneElseQueuedIsJoinedNotDuplicated() async throws {
        // Tableau's clock stands still: the outside job is still running when Freshet asks, however slow the machine.
        let clock = EmulatorClock.manual()
        try await withEngine(emulator: EmulatorConfiguration(clock: clock)) { emulator, runtime, engine in
            let outside = try await runtime.client(for: "demo").refresh(.datasource, id: try await datasourceId("Long", runtime))
            let submission = try await engine.submit(
                RefreshRequest(connection: "demo", targets: [.datasource("Long")], retryPolicy: RunRetryPolicy(maxAttempts: 1, delay: 0)),
                actor: "test:ana")
            let id = try #require(submission.runs.first?.run.id)
            var run = try #require(try await engine.run(id: id))
            while run.state != .waiting && !run.state.isTerminal {
                run = try #require(try await engine.wait(for: [id], limit: .milliseconds(50)).first)
            }
            #expect(run.jobId == outside.id)
            clock.advance(by: 3600)
            run = try #require(try await engine.wait(for: [id], limit: .seconds(30)).first)
            await engine.settle()
            #expect(run.state == .succeeded && run.jobId == outside.id)
            #expect(run.attempts.first?.joinedExisting == true)
            #expect(emulator.refreshCalls(status: 409) == 1 && emulator.refreshCalls() == 2)
        }
    }

    @Test func concurrentRequestsForOneItemShareOneRefresh() async throws {
        try await withEngine { emulator, _, engine in
            let ids = try await withThrowingTaskGroup(of: String.self) { group in
                for _ in 0..<20 {
                    group.addTask {
                        try await engine.submit(RefreshRequest(connection: "demo", targets: [.datasource("Quick")]), actor: "test").runs[0].run.id
                    }
                }
                return try await group.reduce(into: Set<String>()) { $0.insert($1) }
            }
            #expect(ids.count == 1)
            let runs = try await engine.wait(for: Array(ids), limit: .seconds(30))
            #expect(runs.first?.state == .succeeded && emulator.refreshCalls() == 1)
        }
    }

    @Test func anIdempotencyKeyReturnsTheSameRunsEvenAfterTheyEnd() async throws {
        try await withEngine { emulator, _, engine in
            let first = try await refresh(engine, [.datasource("Quick"), .workbook("Board")], key: "dag-42")
            // The same request again, its targets in another order: the same runs, nothing refreshed.
            let second = try await engine.submit(
                RefreshRequest(
                    connection: "demo", targets: [.workbook("Board"), .datasource("Quick")], idempotencyKey: "dag-42",
                    retryPolicy: RunRetryPolicy(maxAttempts: 1, delay: 0)), actor: "test")
            #expect(Set(second.runs.map(\.run.id)) == Set(first.map(\.id)) && second.runs.count == 2)
            #expect(second.runs.allSatisfy { $0.disposition == .existingIdempotencyKey })
            // The same key with another request is refused: its runs are unchanged and nothing is refreshed.
            let reused = await #expect(throws: RefreshRequestError.self) {
                try await engine.submit(RefreshRequest(connection: "demo", targets: [.datasource("Slow")], idempotencyKey: "dag-42"), actor: "test")
            }
            guard case .conflict = reused else { Issue.record("expected a conflict, got \(String(describing: reused))"); return }
            #expect(emulator.refreshCalls() == 2)
        }
    }

    @Test func namesThatMatchNothingOrSeveralItemsListWhatWasFound() async throws {
        try await withEngine { emulator, _, engine in
            let error = await #expect(throws: RefreshRequestError.self) {
                try await engine.submit(
                    RefreshRequest(connection: "demo", targets: [.datasource("quick"), .datasource("Twin"), .project("Nowhere")]),
                    actor: "test")
            }
            let text = error.map { "\($0)" } ?? ""
            #expect(text.contains("datasource quick: no data source is named \"quick\""))
            #expect(text.contains("found: \"Quick\" (project \"Default\")"))
            #expect(text.contains("datasource Twin: 2 data sources have this name"))
            #expect(text.contains("in project \"Finance\"") && text.contains("in project \"Marketing\""))
            #expect(text.contains("project Nowhere: there is no project named \"Nowhere\""))
            #expect(emulator.refreshCalls() == 0)
        }
    }

    /// An id is not looked up before the refresh (no round trip): Tableau's own answer to the
    /// refresh call ends the run, in Tableau's words.
    @Test func anUnknownIdFailsItsRunWithTableausAnswer() async throws {
        try await withEngine { emulator, _, engine in
            let before = emulator.state.recordedRequests().count
            let run = try #require(try await refresh(engine, [.workbook("00000000-0000-0000-0000-000000000000")]).first)
            #expect(run.state == .failed && run.attempts.count == 1)
            #expect(run.notes?.isEmpty == false)
            let calls = emulator.state.recordedRequests().dropFirst(before).filter { !$0.path.hasSuffix("/serverinfo") && !$0.path.hasSuffix("/signin") }
            #expect(calls.first?.path.hasSuffix("/workbooks/00000000-0000-0000-0000-000000000000/refresh") == true)
        }
    }

    @Test func qualifiedNamesProjectsAndLineageResolve() async throws {
        // Tableau's clock stands still until every request is in: the runs named twice are still
        // going when the later requests come, however slow the machine (CI saw Board end first).
        let clock = EmulatorClock.manual()
        try await withEngine(emulator: EmulatorConfiguration(clock: clock)) { emulator, _, engine in
            let twin = try await engine.submit(RefreshRequest(connection: "demo", targets: [.datasource("Finance/Twin")]), actor: "test")
            #expect(twin.runs.count == 1)
            let project = try await engine.submit(RefreshRequest(connection: "demo", targets: [.project("Finance")]), actor: "test")
            #expect(Set(project.runs.map(\.run.item.name)) == ["Broken", "Twin", "Board"])
            let table = try await engine.submit(
                RefreshRequest(connection: "demo", targets: [.table(try #require(TableName("warehouse.public.orders")))]), actor: "test")
            #expect(Set(table.runs.map(\.run.item.name)) == ["Quick", "Board"])
            #expect(table.liveItems.map(\.item.name).contains("Live"))
            let live = try await engine.submit(RefreshRequest(connection: "demo", targets: [.datasource("Live")]), actor: "test")
            #expect(live.runs.isEmpty && live.liveItems.map(\.item.name) == ["Live"])
            await #expect(throws: RefreshRequestError.self) {
                try await engine.submit(
                    RefreshRequest(connection: "demo", targets: [.table(try #require(TableName("warehouse.public.unused")))]), actor: "test")
            }
            // Every job exists at Tableau before its clock moves on (a job created later would wait for another move).
            let ids = (twin.runs + project.runs + table.runs).map(\.run.id)
            _ = try await engine.wait(for: ids, limit: .seconds(30), until: { $0.state == .waiting || $0.state.isTerminal })
            clock.advance(by: 3600)
            _ = try await engine.wait(for: ids, limit: .seconds(30))
            // Twin (Finance) and Board are named twice: the later requests join the runs already going.
            #expect(project.runs.filter { $0.disposition == .joinedActive }.map(\.run.item.name) == ["Twin"])
            #expect(table.runs.filter { $0.disposition == .joinedActive }.map(\.run.item.name) == ["Board"])
            #expect(emulator.refreshCalls() == 4)
        }
    }

    @Test func aRefusedItemFailsTheWholeRequestBeforeAnythingIsStored() async throws {
        try await withEngine { emulator, runtime, engine in
            let error = await #expect(throws: RefreshRequestError.self) {
                try await engine.submit(
                    RefreshRequest(connection: "demo", targets: [.datasource("Quick"), .workbook("Board")]), actor: "token:etl",
                    authorize: { _, found in found.projectName == "Finance" ? "may not refresh \(found.item.name) in Finance" : nil })
            }
            #expect(error == .forbidden(["may not refresh Board in Finance"]))
            let stored = try await runtime.store.runs(RunQuery())
            #expect(stored.isEmpty && emulator.refreshCalls() == 0)
        }
    }

    @Test func transientTableauFailuresAreRetriedWithinTheRun() async throws {
        try await withEngine { emulator, _, engine in
            var faults = FaultSettings()
            faults.failNext = [
                ScriptedFault(status: 503, count: 4, pathContains: "/refresh", method: "POST"),
                ScriptedFault(status: 429, count: 4, pathContains: "/refresh", method: "POST", retryAfterSeconds: 0),
                ScriptedFault(status: nil, count: 1, pathContains: "/refresh", method: "POST"),
            ]
            emulator.state.setFaults(faults)
            let run = try #require(try await refresh(engine, [.datasource("Quick")]).first)
            #expect(run.state == .succeeded)
            let transient = run.attempts.filter { if case .transientFailure = $0.outcome { true } else { false } }
            #expect(transient.count >= 2 && run.attempts.last?.outcome == .succeeded)
        }
    }

    @Test func twoEnginesOnOneDatabaseDriveARunOnce() async throws {
        let data = DemoDataDirectory()
        defer { data.remove() }
        try await withEmulator(seed: try RefreshSeed.seed()) { emulator in
            var configuration = RefreshSeed.configuration
            configuration.holder = "process-a"
            let first = try await data.addDemoConnection(emulator).refreshEngine(configuration: configuration)
            configuration.holder = "process-b"
            let second = try data.runtime().refreshEngine(configuration: configuration)
            let request = RefreshRequest(connection: "demo", targets: [.datasource("Slow")], idempotencyKey: "shared")
            async let a = first.submit(request, actor: "test")
            async let b = second.submit(request, actor: "test")
            let ids = try await [a.runs[0].run.id, b.runs[0].run.id]
            #expect(ids[0] == ids[1])
            async let waitedA = first.wait(for: [ids[0]], limit: .seconds(30))
            async let waitedB = second.wait(for: [ids[1]], limit: .seconds(30))
            let results = try await [waitedA[0], waitedB[0]]
            #expect(results.allSatisfy { $0.state == .succeeded })
            #expect(emulator.refreshCalls() == 1)
            await first.shutdown()
            await second.shutdown()
        }
    }

    @Test func aRunWhoseDriverDiedResumesWaitingWithoutTriggeringAgain() async throws {
        try await withEngine { emulator, runtime, engine in
            // A process accepted and triggered the run, then died holding the lease.
            let outside = try await runtime.client(for: "demo").refresh(.datasource, id: try await datasourceId("Slow", runtime))
            let connection = try #require(try await runtime.store.connection(named: "demo")).connection
            var run = Run(connectionId: connection.id, target: "datasource Slow",
                          item: RunItem(contentType: .datasource, tableauId: try await datasourceId("Slow", runtime), name: "Slow"),
                          actor: "test", createdAt: Date())
            run = try await runtime.store.create(run, joiningActive: false).run
            var machine = RunStateMachine(run: run)
            _ = try machine.handle(.start)
            _ = try machine.handle(.jobQueued(jobId: outside.id))
            _ = try #require(try await runtime.store.transition(machine.run, expectedVersion: run.version, now: Date()))
            #expect(try await runtime.store.claim(runId: run.id, holder: "dead-process", until: Date().addingTimeInterval(-1), now: Date()))
            #expect(try await engine.recover() == 1)
            let ended = try #require(try await engine.wait(for: [run.id], limit: .seconds(30)).first)
            #expect(ended.state == .succeeded && ended.jobId == outside.id)
            #expect(emulator.refreshCalls() == 1)
        }
    }

    func datasourceId(_ name: String, _ runtime: FreshetRuntime) async throws -> String {
        try #require(try await runtime.client(for: "demo").items(.datasource, named: name).first?.id)
    }
}
