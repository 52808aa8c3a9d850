import Foundation
import Freshet
import FreshetPostgres
import Synchronization
import Testing

/// A run finished by one process wakes a follower in another within 100 ms (LISTEN/NOTIFY).
@Suite struct PostgresRunChangeFeedTests {
    @Test func aTransitionInOneProcessReachesAnotherWithin100Milliseconds() async throws {
        let databases = try await PostgresTestServer.databases(2)
        defer { PostgresTestServer.drop(databases) }
        let writer = PostgresStore(database: databases[0])
        let run = try await writer.create(RunStoreFixtures.run("r1"), joiningActive: false).run
        let (heard, continuation) = AsyncStream.makeStream(of: ContinuousClock.Instant.self)
        let follower = Task {
            try await PostgresRunChangeFeed(database: databases[1]).follow { continuation.yield(.now) }
        }
        defer { follower.cancel() }
        // The follower listens once a notification arrives: probe until one does.
        let channel = databases[0].runChannel
        let probes = Task {
            while !Task.isCancelled {
                _ = try await databases[0].rawRows("SELECT pg_notify('\(channel)', 'probe') IS NULL")
                try await Task.sleep(for: .milliseconds(20))
            }
        }
        var iterator = heard.makeAsyncIterator()
        _ = await iterator.next()
        probes.cancel()
        _ = await probes.result
        var current = run
        var delays: [Duration] = []
        for event in [RunEvent.start, .jobQueued(jobId: "j1"), .jobSucceeded] {
            var machine = RunStateMachine(run: current)
            _ = try machine.handle(event)
            let sent = ContinuousClock.now
            current = try #require(try await writer.transition(machine.run, expectedVersion: current.version, now: Fixtures.later(1)))
            // A probe still in flight arrived before this change was sent: not its notification.
            while let arrived = await iterator.next() {
                if arrived >= sent {
                    delays.append(arrived - sent)
                    break
                }
            }
        }
        #expect(delays.count == 3)
        #expect(delays.allSatisfy { $0 < .milliseconds(100) }, "\(delays)")
    }
}
