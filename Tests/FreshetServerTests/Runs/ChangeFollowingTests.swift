import Foundation
import Freshet
import Testing

@testable import FreshetServer

/// The loop of the alert outbox and the warning reconciler: a pass at once when the engine sees a
/// change (a run's state, a wake-up), not at the next interval (here an hour).
@Suite struct ChangeFollowingTests {
    @Test(.timeLimit(.minutes(1)))
    func aRunChangeOrAWakeUpStartsAPassWithoutWaitingForTheInterval() async throws {
        try await RunFixture.test { fixture, _ in
            let engine = fixture.api.engine
            let (passes, pass) = AsyncStream<Void>.makeStream()
            let following = ChangeFollowing(engine: engine, interval: .seconds(3600), minimumGap: .zero)
            let loop = Task { await following.run { pass.yield() } }
            var iterator = passes.makeAsyncIterator()
            #expect(await iterator.next() != nil)  // the first pass, at start
            await engine.wakeFollowers()
            #expect(await iterator.next() != nil)  // woken (a pipeline event, a stale transition)
            let submission = try await engine.submit(RefreshRequest(connection: "demo", targets: [.datasource("Quick")]), actor: "test")
            #expect(await iterator.next() != nil)  // a run changed
            _ = try await engine.wait(for: submission.runs.map(\.run.id), limit: .seconds(20))
            loop.cancel()
            await loop.value
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func withoutAnEngineItPollsAtTheInterval() async throws {
        let (passes, pass) = AsyncStream<Void>.makeStream()
        let following = ChangeFollowing(engine: nil, interval: .milliseconds(10), minimumGap: .zero)
        let loop = Task { await following.run { pass.yield() } }
        var iterator = passes.makeAsyncIterator()
        for _ in 0..<3 { #expect(await iterator.next() != nil) }
        loop.cancel()
        await loop.value
    }
}
