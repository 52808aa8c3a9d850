import Foundation
import Testing

@testable import Freshet

/// One status check covers every waiting job that its Query Jobs pages list anyway.
@Suite struct PollCoverageTests {
    private func job(_ id: String, createdAt seconds: Double?) -> WatchedJob {
        WatchedJob(
            jobId: id, runIds: ["run-\(id)"], createdAt: seconds.map { Date(timeIntervalSince1970: $0) }, itemKey: id, expected: nil, step: 3,
            nextDue: Date(timeIntervalSince1970: 1_000), interval: 15)
    }

    @Test func jobsCreatedBetweenTheOldestAndNewestDueOnesAreCheckedToo() {
        let watched = Dictionary(
            uniqueKeysWithValues: [job("a", createdAt: 0), job("b", createdAt: 5), job("c", createdAt: 10), job("d", createdAt: 20), job("e", createdAt: nil)]
                .map { ($0.jobId, $0) })
        let checked = RefreshEngine.coveredJobs([watched["a"]!, watched["c"]!], among: watched)
        #expect(checked.map(\.jobId).sorted() == ["a", "b", "c"])
        // The due ones come first, in their order.
        #expect(checked.prefix(2).map(\.jobId) == ["a", "c"])
    }

    @Test func aSingleDueJobOrOneOfUnknownCreationIsCheckedAlone() {
        let watched = Dictionary(uniqueKeysWithValues: [job("a", createdAt: 0), job("b", createdAt: 5), job("c", createdAt: nil)].map { ($0.jobId, $0) })
        #expect(RefreshEngine.coveredJobs([watched["b"]!], among: watched).map(\.jobId) == ["b"])
        #expect(RefreshEngine.coveredJobs([watched["c"]!, watched["a"]!], among: watched).map(\.jobId) == ["c", "a"])
    }
}

/// Status checks stay within the connection's call rate however many jobs wait.
@Suite struct PollSpacingTests {
    @Test func checksOfManyJobsStayWithinTwoCallsASecond() async throws {
        let harness = try await EngineHarness.make(items: 25, jobSeconds: 60)
        let tableau = harness.tableau
        // Two jobs per call: 25 waiting jobs take up to 13 calls per check.
        let configuration = RefreshEngineConfiguration(
            holder: "p", maxTableauJobsPerConnection: 100, polling: JobPollingSchedule(statusCallsPerSecond: 2, jobsPerStatusCall: 2), jitter: 0)
        let engine = RefreshEngine(
            store: harness.database, connections: harness.database, audit: harness.database, gateways: { _ in tableau },
            configuration: configuration, clock: harness.clock)
        let start = harness.clock.now()
        // One pipeline's request every half second: the jobs' checks fall due at staggered moments.
        for index in 1...25 {
            let request = RefreshRequest(connection: "prod", targets: [.datasource("Item \(index)")], idempotencyKey: "pipeline-\(index)")
            _ = try await engine.submit(request, actor: "pipeline")
            await harness.advance(until: { false }, limit: .milliseconds(400), engines: [engine])
        }
        await harness.advance(until: { harness.clock.now().timeIntervalSince(start) >= 30 }, limit: .seconds(30), engines: [engine])
        let checks = tableau.callTimes.filter { $0.call.hasPrefix("check ") && $0.at.timeIntervalSince(start) <= 30 }
        let calls = checks.map { check in ((Int(check.call.split(separator: " ")[1]) ?? 0) + 1) / 2 }
        #expect(!checks.isEmpty)
        // Each check is spaced by its own pages; the next one may list a few more jobs (one check's
        // worth of slack). Unspaced, the same checks made 167 calls.
        #expect(calls.reduce(0, +) <= 2 * 30 + 13, "\(calls.reduce(0, +)) calls in 30 s")
        #expect(await harness.runs().allSatisfy { $0.state == .waiting })
        await engine.shutdown()
    }
}
