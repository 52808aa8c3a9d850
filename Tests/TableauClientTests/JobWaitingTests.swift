import Foundation
import Testing
import TableauClient
import TableauEmulator

/// Waiting on jobs on injected clocks: the emulator's jobs and the client's polling both run on
/// manual clocks, so nothing sleeps.
@Suite struct JobWaitingTests {
    /// Advances both clocks in small steps until `task` finishes (bounded).
    func drive<T: Sendable>(_ task: Task<T, any Error>, emulator: RunningEmulator, clock: ManualPollingClock, step: Double = 0.5, limit: Int = 400) async throws -> T {
        let done = DoneFlag()
        let watcher = Task {
            defer {
                done.set()
                clock.releaseWatchers()
            }
            return try await task.value
        }
        for _ in 0..<limit where !done.isSet {
            await clock.waitForSleepers(1)
            if done.isSet { break }
            emulator.state.clock.advance(by: step)
            clock.advance(by: .milliseconds(Int64(step * 1000)))
            await Task.yield()
        }
        return try await watcher.value
    }

    func setUp(_ emulator: RunningEmulator, clock: ManualPollingClock, credentials: Credentials = TestConfiguration.adminPAT) throws -> TableauClient {
        TableauClient(configuration: try TestConfiguration.make(emulator, credentials: credentials, polling: PollingPolicy(jitter: 0)), clock: clock)
    }

    @Test func succeededFailedAndCancelledOutcomes() async throws {
        try await withEmulator(seed: try TestConfiguration.demoSeed(), configuration: EmulatorConfiguration(clock: .manual())) { emulator in
            let clock = ManualPollingClock()
            let client = try setUp(emulator, clock: clock)
            let sales = try #require(try await client.items(.datasource, named: "Sales").first)
            let ok = try await client.refresh(.datasource, id: sales.id)
            let succeeded = try await drive(Task { try await client.waitForJob(ok.id, createdAt: ok.createdAt, timeout: .seconds(60)) }, emulator: emulator, clock: clock)
            #expect(succeeded == .succeeded)

            let orders = try #require(try await client.items(.datasource, named: "Orders").first)
            let bad = try await client.refresh(.datasource, id: orders.id)
            let failed = try await drive(Task { try await client.waitForJob(bad.id, timeout: .seconds(60)) }, emulator: emulator, clock: clock)
            guard case .failed(let notes) = failed else { Issue.record("expected failure, got \(failed)"); return }
            #expect(notes.contains("Login failed"))

            let inventory = try #require(try await client.items(.datasource, named: "Inventory").first)
            let hang = try await client.refresh(.datasource, id: inventory.id)
            let waiting = Task { try await client.waitForJob(hang.id, timeout: .seconds(600)) }
            await clock.waitForSleepers(1)
            try await client.cancelJob(hang.id)
            #expect(try await drive(waiting, emulator: emulator, clock: clock) == .cancelled)
        }
    }

    @Test func aHangingJobTimesOut() async throws {
        try await withEmulator(seed: try TestConfiguration.demoSeed(), configuration: EmulatorConfiguration(clock: .manual())) { emulator in
            let clock = ManualPollingClock()
            let client = try setUp(emulator, clock: clock)
            let inventory = try #require(try await client.items(.datasource, named: "Inventory").first)
            let hang = try await client.refresh(.datasource, id: inventory.id)
            let outcome = try await drive(Task { try await client.waitForJob(hang.id, timeout: .seconds(20)) }, emulator: emulator, clock: clock, step: 1)
            #expect(outcome == .timedOut)
        }
    }

    @Test func manyJobsShareOneQueryJobsCallPerCycle() async throws {
        var seed = try TestConfiguration.demoSeed()
        seed.sites[0].generate = Seed.GenerateSeed(datasources: 10, refresh: RefreshBehaviour(durationSeconds: 3))
        try await withEmulator(seed: seed, configuration: EmulatorConfiguration(clock: .manual())) { emulator in
            let clock = ManualPollingClock()
            let client = try setUp(emulator, clock: clock)
            var options = ListOptions()
            options.filter(.name, .has, "Data Source")
            let items = try await client.dataSources(options).collect()
            #expect(items.count == 10)
            var jobs: [Job] = []
            for item in items { jobs.append(try await client.refresh(.datasource, id: item.id)) }
            emulator.state.clearRecordedRequests()
            let awaited = jobs
            let all = Task {
                try await withThrowingTaskGroup(of: JobOutcome.self) { group in
                    for job in awaited { group.addTask { try await client.waitForJob(job.id, createdAt: job.createdAt, timeout: .seconds(60)) } }
                    return try await group.reduce(into: [JobOutcome]()) { $0.append($1) }
                }
            }
            // All ten must be registered before time moves, or their schedules start staggered.
            while await client.jobsBeingWaitedOn() < awaited.count { await Task.yield() }
            let outcomes = try await drive(all, emulator: emulator, clock: clock, step: 0.25)
            #expect(outcomes.count == 10 && outcomes.allSatisfy { $0 == .succeeded })
            let log = emulator.state.recordedRequests()
            let listCalls = log.filter { $0.path.hasSuffix("/jobs") }.count
            let perJobCalls = log.filter { $0.path.contains("/jobs/") }.count
            #expect(perJobCalls == 0)
            #expect(listCalls > 0 && listCalls <= 8, "list calls: \(listCalls), log: \(log.map { $0.path.split(separator: "/").last ?? "" })")
        }
    }

    @Test func nonAdministratorsFallBackToPerJobPolling() async throws {
        try await withEmulator(seed: try TestConfiguration.demoSeed(), configuration: EmulatorConfiguration(clock: .manual())) { emulator in
            let clock = ManualPollingClock()
            let client = try setUp(emulator, clock: clock, credentials: TestConfiguration.analystPAT)
            let first = try #require(try await client.items(.datasource, named: "Sales").first)
            let second = try #require(try await client.items(.datasource, named: "Web Traffic").first)
            let a = try await client.refresh(.datasource, id: first.id)
            let b = try await client.refresh(.datasource, id: second.id)
            let both = Task {
                async let x = client.waitForJob(a.id, createdAt: a.createdAt, timeout: .seconds(60))
                async let y = client.waitForJob(b.id, createdAt: b.createdAt, timeout: .seconds(60))
                return try await [x, y]
            }
            let outcomes = try await drive(both, emulator: emulator, clock: clock)
            #expect(outcomes == [.succeeded, .succeeded])
            let log = emulator.state.recordedRequests()
            #expect(log.filter { $0.path.hasSuffix("/jobs") && $0.status == 403 }.count == 1)
            #expect(log.filter { $0.path.contains("/jobs/") && $0.status == 200 }.count >= 2)
        }
    }
}

/// A flag set once, readable from any task.
final class DoneFlag: Sendable {
    private let flag = Synchronization.Mutex(false)
    func set() { flag.withLock { $0 = true } }
    var isSet: Bool { flag.withLock { $0 } }
}

import Synchronization
