import Foundation
import Freshet
import Testing

/// Polling that learns: an item's recent refresh durations decide when its job is first checked
/// and each waiting run shows when its job is expected to end.
@Suite struct LearnedPollingTests {
    private func checks(_ harness: EngineHarness) -> [String] { harness.tableau.calls.filter { $0.hasPrefix("check") } }

    private func refresh(_ harness: EngineHarness, _ engine: RefreshEngine, items: Int, key: String) async throws {
        _ = try await engine.submit(harness.request(items: items, key: key), actor: "pipeline")
        #expect(await harness.advance(until: { await harness.runs().allSatisfy(\.state.isTerminal) }, engines: [engine]))
    }

    /// The first refresh of an item has no history (the default schedule checks it several
    /// times); the next one is checked once, just after its expected end — fewer checks than the
    /// Airflow provider's two (one at once, one 20 s later) for a 3 s job.
    @Test func aLoneJobIsCheckedOnceItsItemsDurationIsKnown() async throws {
        let harness = try await EngineHarness.make(items: 1, jobSeconds: 3)
        let (engine, _) = harness.process("p")
        try await refresh(harness, engine, items: 1, key: "first")
        let firstChecks = checks(harness).count
        #expect(firstChecks >= 3)
        let before = checks(harness).count
        try await refresh(harness, engine, items: 1, key: "second")
        #expect(checks(harness).count - before == 1)
        #expect(await harness.runs().allSatisfy { $0.state == .succeeded })
        await engine.shutdown()
    }

    /// While waiting, the run (and its API view) shows the expected end: queued time plus the
    /// item's recent duration and a small margin; the estimate goes once the run ends.
    @Test func aWaitingRunShowsItsEstimatedFinish() async throws {
        let harness = try await EngineHarness.make(items: 1, jobSeconds: 3)
        let (engine, _) = harness.process("p")
        try await refresh(harness, engine, items: 1, key: "first")
        #expect(await harness.runs().allSatisfy { $0.estimatedFinish == nil })
        let submitted = try await engine.submit(harness.request(items: 1, key: "second"), actor: "pipeline")
        let id = submitted.runs[0].run.id
        #expect(try await harness.advance(until: { try await engine.run(id: id)?.state == .waiting }, engines: [engine]))
        let waiting = try #require(try await engine.run(id: id))
        let queuedAt = try #require(harness.tableau.jobs.last?.createdAt)
        let expected = JobPollingSchedule().firstCheck(expected: 3)
        let estimate = try #require(RunView(waiting).estimatedFinish)
        #expect(abs(estimate.timeIntervalSince(queuedAt) - expected) < 0.01)
        #expect(waiting.attempts.last?.expectedEndAt == estimate)
        #expect(try await harness.advance(until: { try await engine.run(id: id)?.state == .succeeded }, engines: [engine]))
        let ended = try #require(try await engine.run(id: id))
        #expect(ended.estimatedFinish == nil && RunView(ended).estimatedFinish == nil)
        #expect(RunView(ended).attempts.last?.expectedEndAt == estimate)
        await engine.shutdown()
    }

    /// A job that runs longer than its item's history is checked again after its expected end,
    /// at a cadence that grows, and the run still ends with Tableau's outcome.
    @Test func aJobLongerThanExpectedIsFollowedUntilItEnds() async throws {
        let harness = try await EngineHarness.make(items: 1, jobSeconds: 3)
        let (engine, _) = harness.process("p")
        try await refresh(harness, engine, items: 1, key: "first")
        harness.tableau.jobSeconds = 12
        let before = checks(harness).count
        try await refresh(harness, engine, items: 1, key: "second")
        let made = checks(harness).count - before
        #expect(made >= 2 && made <= 10, "\(made) checks")
        #expect(await harness.runs().allSatisfy { $0.state == .succeeded })
        await engine.shutdown()
    }

    /// Jobs of one site queued together and expected to end together share batched checks.
    @Test func jobsQueuedTogetherShareBatchedChecks() async throws {
        let harness = try await EngineHarness.make(items: 10, jobSeconds: 5)
        let (engine, _) = harness.process("p")
        try await refresh(harness, engine, items: 10, key: "first")
        let before = checks(harness).count
        try await refresh(harness, engine, items: 10, key: "second")
        let second = Array(checks(harness).dropFirst(before))
        #expect(second.count <= 2, "\(second)")
        #expect(await harness.runs().allSatisfy { $0.state == .succeeded })
        await engine.shutdown()
    }

    /// Durations: the median of the item's five newest; an unknown item has none.
    @Test func durationsAreTheMedianOfTheNewest() {
        let schedule = JobPollingSchedule()
        #expect(schedule.interval(step: 0, expected: nil) == schedule.interval(step: 0))
        #expect(schedule.interval(step: 0, expected: 100) == schedule.firstCheck(expected: 100))
        #expect(schedule.firstCheck(expected: 100) > 100)
        #expect(schedule.interval(step: 1, expected: 100) == 10)
        #expect(schedule.interval(step: 30, expected: 100) == schedule.maximum)
    }

    /// An attempt's expected end is stored with it and read back by stores of any version.
    @Test func expectedEndRoundTrips() throws {
        let end = Date(timeIntervalSince1970: 1_800_000_003.5)
        let attempt = RunAttempt(number: 1, jobId: "j", startedAt: Date(timeIntervalSince1970: 1_800_000_000), expectedEndAt: end)
        let decoded = try JSONDecoder().decode(RunAttempt.self, from: try JSONEncoder().encode(attempt))
        #expect(decoded == attempt)
        let older = try JSONDecoder().decode(RunAttempt.self, from: Data(#"{"number":1,"outcome":{"pending":{}}}"#.utf8))
        #expect(older.expectedEndAt == nil)
    }
}
