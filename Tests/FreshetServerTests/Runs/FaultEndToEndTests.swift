import Foundation
import Freshet
import FreshetServer
import TableauClient
import TableauEmulator
import Testing

/// The engine, the real Tableau client and the emulator over sockets, with Tableau misbehaving:
/// answers lost after the job was queued, 5xx, 429, sessions revoked. Every run must end
/// truthfully, and every item must be refreshed exactly once.
@Suite struct FaultEndToEndTests {
    static let targets: [RefreshTarget] = [
        .datasource("Quick"), .datasource("Slow"), .workbook("Board"), .datasource("Finance/Twin"), .datasource("Marketing/Twin"),
    ]

    func withEngine(_ faults: FaultSettings, _ body: @escaping @Sendable (RunningEmulator, RefreshEngine, [Run]) async throws -> Void) async throws {
        let data = DemoDataDirectory()
        defer { data.remove() }
        try await withEmulator(seed: try RefreshSeed.seed()) { emulator in
            let runtime = try await data.addDemoConnection(emulator)
            let engine = runtime.refreshEngine(configuration: RefreshSeed.configuration)
            _ = try await runtime.client(for: "demo").session()
            emulator.state.setFaults(faults)
            // Like a pipeline, the caller retries its request (same key) when Tableau could not be asked.
            var accepted: RefreshSubmission?
            for _ in 0..<10 where accepted == nil {
                do throws(RefreshRequestError) {
                    accepted = try await engine.submit(RefreshRequest(connection: "demo", targets: Self.targets, idempotencyKey: "faults"), actor: "test")
                } catch {
                    guard case .tableau(let failure) = error, failure.isTransient || failure.isUnreachable else { throw error }
                }
            }
            let submission = try #require(accepted)
            let runs = try await engine.wait(for: submission.runs.map(\.run.id), limit: .seconds(60))
            await engine.settle()
            emulator.state.setFaults(FaultSettings())
            try await body(emulator, engine, runs)
            await engine.shutdown()
        }
    }

    /// Refresh calls that queued a job (answered 202/200, or lost after queuing), per item path.
    static func jobsQueued(_ emulator: RunningEmulator) -> [String: Int] {
        let queued = emulator.state.recordedRequests().filter { $0.method == "POST" && $0.path.hasSuffix("/refresh") && ($0.status < 300) }
        return Dictionary(grouping: queued, by: \.path).mapValues(\.count)
    }

    @Test func lostAnswersAreAdoptedAndNothingIsRefreshedTwice() async throws {
        var faults = FaultSettings()
        faults.failNext = [ScriptedFault(status: nil, count: 5, pathContains: "/refresh", method: "POST", loseAnswer: true)]
        try await withEngine(faults) { emulator, _, runs in
            #expect(runs.count == 5 && runs.allSatisfy { $0.state == .succeeded }, "\(runs.map { "\($0.item.name): \($0.state) \($0.notes ?? "")" })")
            #expect(runs.allSatisfy { $0.attempts.count == 1 && $0.attempts[0].reconciled })
            let lost = emulator.state.recordedRequests().filter { $0.method == "POST" && $0.path.hasSuffix("/refresh") && $0.status == 0 }
            #expect(lost.count == 5)
            #expect(Self.jobsQueued(emulator).values.allSatisfy { $0 == 1 } && Self.jobsQueued(emulator).count == 5)
        }
    }

    @Test func revokedSessionsNeverFailARun() async throws {
        try await withEngine(FaultSettings(revokeSessionEvery: 3)) { emulator, _, runs in
            #expect(runs.allSatisfy { $0.state == .succeeded }, "\(runs.map { "\($0.item.name): \($0.state) \($0.notes ?? "")" })")
            #expect(Self.jobsQueued(emulator).values.allSatisfy { $0 == 1 } && Self.jobsQueued(emulator).count == 5)
        }
    }

    @Test func errorsRateLimitsAndLostAnswersTogetherStillRefreshEachItemOnce() async throws {
        let faults = FaultSettings(errorRate: 0.15, rateLimitRate: 0.1, retryAfterSeconds: 0, loseAnswerRate: 0.3)
        try await withEngine(faults) { emulator, _, runs in
            #expect(runs.count == 5 && runs.allSatisfy { $0.state == .succeeded }, "\(runs.map { "\($0.item.name): \($0.state) \($0.notes ?? "")" })")
            let queued = Self.jobsQueued(emulator)
            #expect(queued.count == 5 && queued.values.allSatisfy { $0 == 1 }, "\(queued)")
        }
    }
}
