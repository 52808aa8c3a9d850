import Foundation
import Freshet
import Synchronization
import Testing

/// Exactly one refresh per request, nothing lost: the engine against a scripted Tableau on a
/// manual clock, crashed at every store call, with lost answers, 503s and two processes.
@Suite struct ExactlyOnceTests {
    /// Counts the store calls of a clean request, then crashes a process at each of them in
    /// turn; the pipeline retries with its key in another process. Every time: all items
    /// refreshed, each exactly once, every run succeeded.
    @Test func aCrashAtAnyStoreCallLosesNothingAndRefreshesOnce() async throws {
        let clean = try await EngineHarness.make()
        let (engine, store) = clean.process("clean")
        _ = try await engine.submit(clean.request(), actor: "pipeline")
        #expect(await clean.advance(until: { await clean.runs().allSatisfy(\.state.isTerminal) }, engines: [engine]))
        await engine.shutdown()
        let total = store.calls
        #expect(total >= 10)
        for crashAt in 1...total {
            let harness = try await EngineHarness.make()
            let (first, crashing) = harness.process("first", crashAt: crashAt)
            _ = try? await first.submit(harness.request(), actor: "pipeline")
            await harness.advance(until: { crashing.calls >= crashAt }, limit: .seconds(60), engines: [first])
            await first.shutdown()
            // The dead process's leases lapse; the pipeline retries with the same key elsewhere.
            harness.clock.advance(by: .seconds(31))
            let (second, _) = harness.process("second")
            let retry = try await second.submit(harness.request(), actor: "pipeline")
            #expect(retry.runs.count == 3, "crash at call \(crashAt): the retry answered \(retry.runs.count) runs")
            try await second.recover()
            let ended = await harness.advance(until: { await harness.runs().allSatisfy(\.state.isTerminal) }, engines: [second])
            let runs = await harness.runs()
            #expect(ended && runs.count == 3 && runs.allSatisfy { $0.state == .succeeded }, "crash at call \(crashAt): \(runs.map(\.state))")
            #expect(harness.tableau.jobsPerItem.values.sorted() == [1, 1, 1], "crash at call \(crashAt): jobs \(harness.tableau.jobsPerItem)")
            await second.shutdown()
        }
    }

    /// Tableau queued the job but the answer was lost: the run finds and adopts that job.
    @Test func aLostAnswerIsAdoptedNotTriggeredAgain() async throws {
        let harness = try await EngineHarness.make(items: 5)
        harness.tableau.script(Array(repeating: .loseAnswer, count: 5))
        let (engine, _) = harness.process("p")
        _ = try await engine.submit(harness.request(items: 5), actor: "pipeline")
        #expect(await harness.advance(until: { await harness.runs().allSatisfy(\.state.isTerminal) }, engines: [engine]))
        let runs = await harness.runs()
        #expect(runs.allSatisfy { $0.state == .succeeded && $0.attempts.count == 1 && $0.attempts[0].reconciled })
        #expect(harness.tableau.jobsPerItem.values.sorted() == [1, 1, 1, 1, 1])
        #expect(harness.tableau.calls.filter { $0.hasPrefix("trigger") }.count == 5)
        await engine.shutdown()
    }

    /// A 503 may or may not have reached Tableau: reconciliation finds no job, so the run
    /// triggers again — one job in the end.
    @Test func a503WithoutAJobIsTriggeredAgainOnce() async throws {
        let harness = try await EngineHarness.make(items: 1)
        harness.tableau.script([.unavailable, .rateLimited])
        let (engine, _) = harness.process("p")
        _ = try await engine.submit(harness.request(items: 1), actor: "pipeline")
        #expect(await harness.advance(until: { await harness.runs().allSatisfy(\.state.isTerminal) }, engines: [engine]))
        let run = try #require(await harness.runs().first)
        #expect(run.state == .succeeded)
        #expect(run.attempts.count == 3)
        #expect(harness.tableau.jobsPerItem.values.sorted() == [1])
        #expect(harness.tableau.calls.filter { $0.hasPrefix("find job") }.count == 1)  // only the 503 was uncertain
        await engine.shutdown()
    }

    /// Without Query Jobs a lost answer cannot be checked: Freshet triggers again and Tableau's
    /// 409093 joins the job still queued (decision 0007).
    @Test func withoutQueryJobsALostAnswerIsJoinedThrough409093() async throws {
        let harness = try await EngineHarness.make(items: 1, jobSeconds: 30)
        harness.tableau.state.withLock { $0.queryJobsForbidden = true }
        harness.tableau.script([.loseAnswer])
        let (engine, _) = harness.process("p")
        _ = try await engine.submit(harness.request(items: 1), actor: "pipeline")
        #expect(await harness.advance(until: { await harness.runs().allSatisfy(\.state.isTerminal) }, engines: [engine]))
        #expect(await harness.runs().first?.state == .succeeded)
        #expect(harness.tableau.jobsPerItem.values.sorted() == [1])
        await engine.shutdown()
    }

    /// The same key with another request is refused, and nothing is stored for it.
    @Test func aKeyReusedForAnotherRequestIsAConflict() async throws {
        let harness = try await EngineHarness.make(items: 3)
        let (engine, _) = harness.process("p")
        let first = try await engine.submit(harness.request(items: 2, key: "k"), actor: "pipeline")
        #expect(first.runs.count == 2)
        let same = try await engine.submit(
            RefreshRequest(connection: "prod", targets: [.datasource("Item 2"), .datasource("Item 1"), .datasource("Item 1")], idempotencyKey: "k"),
            actor: "pipeline")
        #expect(Set(same.runs.map(\.run.id)) == Set(first.runs.map(\.run.id)))
        await #expect(throws: RefreshRequestError.self) {
            try await engine.submit(harness.request(items: 3, key: "k"), actor: "pipeline")
        }
        do {
            _ = try await engine.submit(harness.request(items: 3, key: "k"), actor: "pipeline")
        } catch {
            guard case .conflict(let message) = error else { Issue.record("expected a conflict, got \(error)"); return }
            #expect(message.contains("\"k\""))
        }
        #expect(await harness.runs().count == 2)
        await engine.shutdown()
    }

    /// Two processes on one database never have more than the connection's limit of jobs at Tableau.
    @Test func theJobLimitHoldsAcrossProcesses() async throws {
        let harness = try await EngineHarness.make(items: 10, jobSeconds: 5)
        let (a, _) = harness.process("a", jobLimit: 3)
        let (b, _) = harness.process("b", jobLimit: 3)
        _ = try await a.submit(RefreshRequest(connection: "prod", targets: (1...5).map { .datasource("Item \($0)") }, idempotencyKey: "a"), actor: "a")
        _ = try await b.submit(RefreshRequest(connection: "prod", targets: (6...10).map { .datasource("Item \($0)") }, idempotencyKey: "b"), actor: "b")
        #expect(await harness.advance(until: { await harness.runs().allSatisfy(\.state.isTerminal) }, engines: [a, b]))
        #expect(await harness.runs().allSatisfy { $0.state == .succeeded })
        #expect(harness.tableau.maxActiveJobs == 3)
        #expect(harness.tableau.jobsPerItem.count == 10)
        #expect(await harness.database.jobSlotsInUse(connectionId: "conn-1") == 0)
        await a.shutdown()
        await b.shutdown()
    }

    /// An item given by id is refreshed without asking Tableau anything first.
    @Test func anItemGivenByIdCostsNoLookup() async throws {
        let harness = try await EngineHarness.make(items: 1)
        let (engine, _) = harness.process("p")
        let id = ScriptedTableau.items(1)[0].item.tableauId
        _ = try await engine.submit(RefreshRequest(connection: "prod", targets: [.datasource(id)]), actor: "pipeline")
        #expect(await harness.advance(until: { await harness.runs().allSatisfy(\.state.isTerminal) }, engines: [engine]))
        #expect(harness.tableau.calls.first == "trigger \(id)")
        // Tableau's answer to the trigger named the item: the run shows its name from then on.
        #expect(await harness.runs().first?.item.name == "Item 1")
        await engine.shutdown()
    }

    /// A process that stops hands its runs over at once: its leases are released, so another
    /// process takes them without waiting for them to lapse, and no job is triggered twice.
    @Test func aStoppingProcessHandsItsRunsOver() async throws {
        let harness = try await EngineHarness.make(items: 3, jobSeconds: 10)
        let (a, _) = harness.process("a")
        _ = try await a.submit(harness.request(), actor: "pipeline")
        #expect(await harness.advance(until: { await harness.runs().allSatisfy { $0.state == .waiting } }, engines: [a]))
        await a.shutdown(signOut: true)
        #expect(harness.tableau.calls.contains("sign out"))
        let (b, _) = harness.process("b")
        #expect(try await b.recover() == 3)
        #expect(await harness.advance(until: { await harness.runs().allSatisfy(\.state.isTerminal) }, engines: [b]))
        #expect(harness.tableau.jobsPerItem.values.sorted() == [1, 1, 1])
        await b.shutdown()
    }

    /// The database goes away while the jobs end (the steps that would record it fail, and so
    /// does handing the runs back) and returns: the living process, which keeps renewing its
    /// leases for the run it still drives, drives the dropped runs again — none is left leased
    /// and undriven (a recovery sweep takes only free or lapsed leases).
    @Test func runsWhoseStepsFailedWhileTheDatabaseWasAwayAreDrivenAgain() async throws {
        let harness = try await EngineHarness.make(items: 4, jobSeconds: 3)
        let (engine, store) = harness.process("p")
        _ = try await engine.submit(harness.request(), actor: "pipeline")
        #expect(await harness.advance(until: { await harness.runs().allSatisfy { $0.state == .waiting } }, engines: [engine]))
        harness.tableau.jobSeconds = 1_000
        _ = try await engine.submit(RefreshRequest(connection: "prod", targets: [.datasource("Item 4")], idempotencyKey: "long"), actor: "pipeline")
        #expect(await harness.advance(until: { await harness.runs().allSatisfy { $0.state == .waiting } }, engines: [engine]))
        store.unreachable = true
        await harness.advance(until: { false }, limit: .seconds(8), engines: [engine])
        #expect(await harness.runs().allSatisfy { $0.state == .waiting })
        store.unreachable = false
        // As `serve` does: a recovery sweep every half lease; well within one lease (30 s).
        let ended = await harness.advance(
            until: {
                _ = try? await engine.recover()
                return await harness.runs().filter(\.state.isTerminal).count == 3
            }, limit: .seconds(20), engines: [engine])
        let runs = await harness.runs()
        #expect(ended, "\(runs.map { "\($0.item.name) \($0.state) \($0.lease?.holder ?? "-")" })")
        #expect(runs.filter { $0.state == .succeeded }.count == 3 && runs.filter { $0.state == .waiting }.count == 1)
        #expect(harness.tableau.jobsPerItem.values.sorted() == [1, 1, 1, 1])
        await engine.shutdown()
    }

    /// A request whose commit happened but whose answer was lost (the database went away after
    /// it) leaves runs leased to the living process: they are driven at its next lease renewal,
    /// each item triggered once, and the pipeline's retry with the key returns them.
    @Test func runsOfARequestWhoseCommitAnswerWasLostAreDriven() async throws {
        let harness = try await EngineHarness.make(items: 3, jobSeconds: 2)
        let (engine, store) = harness.process("p")
        store.losesSubmitAnswer = true
        let request = RefreshRequest(connection: "prod", targets: [.datasource("Item 1"), .datasource("Item 2")], idempotencyKey: "nightly")
        await #expect(throws: RefreshRequestError.self) { try await engine.submit(request, actor: "pipeline") }
        store.losesSubmitAnswer = false
        #expect(await harness.runs().count == 2)
        let ended = await harness.advance(
            until: { await harness.runs().allSatisfy(\.state.isTerminal) }, limit: .seconds(30), engines: [engine])
        let runs = await harness.runs()
        #expect(ended, "\(runs.map { "\($0.item.name) \($0.state) \($0.lease?.holder ?? "-")" })")
        #expect(runs.allSatisfy { $0.state == .succeeded })
        #expect(harness.tableau.jobsPerItem.values.sorted() == [1, 1])
        let again = try await engine.submit(request, actor: "pipeline")
        #expect(Set(again.runs.map(\.run.id)) == Set(runs.map(\.id)))
        await engine.shutdown()
    }

    /// A 10,000-run fan-out on PostgreSQL left whole requests `triggering` for good: stored started
    /// and leased to a live process that did not drive them, whose renewals (every lease it holds)
    /// kept them from everyone else. Whatever path loses track of a run, a process drives every
    /// run leased to it: here runs stored leased to "p" behind its engine's back are driven within
    /// two renewals, each item triggered once.
    @Test func runsLeasedToAProcessThatLostTrackOfThemAreDriven() async throws {
        let harness = try await EngineHarness.make(items: 3, jobSeconds: 100)
        let (engine, store) = harness.process("p", lease: .seconds(30))
        _ = try await engine.submit(harness.request(items: 1, key: "driven"), actor: "pipeline")
        let items = ScriptedTableau.items(3).dropFirst()
        let now = harness.clock.now()
        let runs = items.map { found in
            Run(connectionId: harness.connection.id, target: "datasource \(found.item.name)", item: found.item, actor: "pipeline", createdAt: now)
        }
        let started = runs.map { run -> Run in
            var machine = RunStateMachine(run: run, now: now)
            _ = try? machine.handle(.start)
            return machine.run
        }
        _ = try await store.submit(
            RunBatch(
                connectionId: harness.connection.id, idempotencyKey: nil, fingerprint: "", runs: runs, leaseHolder: "p",
                leaseUntil: now.addingTimeInterval(30), startedRuns: started, jobSlotLimit: 20))
        let ids = Set(runs.map(\.id))
        let waiting = await harness.advance(
            until: { await harness.runs().filter { ids.contains($0.id) }.allSatisfy { $0.state == .waiting } }, limit: .seconds(60), engines: [engine])
        let states = await harness.runs().map { "\($0.item.name) \($0.state) \($0.lease?.holder ?? "-")" }
        #expect(waiting, "\(states)")
        #expect(harness.tableau.jobsPerItem.values.sorted() == [1, 1, 1])
        await engine.shutdown()
    }

    /// A dead process's runs can be taken over as soon as its leases lapse, and the engine says when.
    @Test func theNextTakeoverIsTheNearestLeaseExpiry() async throws {
        let harness = try await EngineHarness.make(items: 2, jobSeconds: 100)
        let (dead, _) = harness.process("dead", lease: .seconds(10))
        _ = try await dead.submit(harness.request(items: 2), actor: "pipeline")
        #expect(await harness.advance(until: { await harness.runs().allSatisfy { $0.state == .waiting } }, engines: [dead]))
        let (survivor, _) = harness.process("survivor", lease: .seconds(10))
        let expiry = try #require(try await survivor.nextTakeover())
        #expect(expiry.timeIntervalSince(harness.clock.now()) <= 10)
        await dead.shutdown()  // releases the leases: takeover is possible now
        #expect(try await survivor.nextTakeover() == nil)
        #expect(try await survivor.recover() == 2)
        await survivor.shutdown()
    }

    /// As many pipelines as the connection's job limit ask at once: every trigger call is in
    /// flight together, so that none waits a Tableau round trip for another to end (with 16
    /// workers, 4 of 20 calls waited).
    @Test func aBurstUpToTheJobLimitIsTriggeredAtOnce() async throws {
        let harness = try await EngineHarness.make(items: 20, jobSeconds: 30)
        let gate = ScriptedTableau.TriggerGate()
        harness.tableau.state.withLock { $0.gate = gate }
        let tableau = harness.tableau
        let defaults = RefreshEngineConfiguration(holder: "p")
        let engine = RefreshEngine(
            store: harness.database, connections: harness.database, audit: harness.database, gateways: { _ in tableau },
            configuration: defaults, clock: harness.clock)
        for index in 1...defaults.maxTableauJobsPerConnection {
            let request = RefreshRequest(connection: "prod", targets: [.datasource("Item \(index)")], idempotencyKey: "pipeline-\(index)")
            _ = try await engine.submit(request, actor: "pipeline")
        }
        var inFlight = 0
        for _ in 0..<10_000 {
            inFlight = await gate.waiting
            if inFlight == defaults.maxTableauJobsPerConnection { break }
            await Task.yield()
        }
        #expect(inFlight == defaults.maxTableauJobsPerConnection)
        await gate.release()
        #expect(await harness.advance(until: { await harness.runs().allSatisfy(\.state.isTerminal) }, engines: [engine]))
        #expect(harness.tableau.jobsPerItem.count == 20 && harness.tableau.jobsPerItem.values.allSatisfy { $0 == 1 })
        await engine.shutdown()
    }
}
