import Foundation
import Freshet
import Testing

/// The recovery sweep of a process that outlives another: a lease that lapses while the sweep
/// is claiming is the next takeover, so its runs are taken over at once, not a sweep later.
@Suite struct RecoverySweepTests {
    @Test func aLeaseThatLapsesDuringTheClaimIsTheNextTakeover() async throws {
        let harness = try await EngineHarness.make(items: 1)
        let lapse = harness.clock.now().addingTimeInterval(30)
        let run = Run(
            id: "r1", connectionId: "conn-1", target: "datasource Item 1", item: RunItem(contentType: .datasource, tableauId: "ds-1", name: "Item 1"),
            actor: "test", createdAt: harness.clock.now())
        _ = try await harness.database.submit(
            RunBatch(connectionId: "conn-1", idempotencyKey: nil, fingerprint: "f", runs: [run], leaseHolder: "dead", leaseUntil: lapse))
        harness.clock.advance(by: .milliseconds(29_900))
        // The claim finds the lease still held; 0.2 s pass inside it, so it has lapsed by the time the sweep is done.
        let clock = harness.clock
        let store = CrashingRunStore(harness.database, crashAt: nil, afterClaimRuns: { clock.advance(by: .milliseconds(200)) })
        let tableau = harness.tableau
        let survivor = RefreshEngine(store: store, connections: harness.database, audit: harness.database, gateways: { _ in tableau }, clock: clock)
        let (taken, next) = try await survivor.sweep()
        #expect(taken == 0)
        #expect(next == lapse, "the survivor must wake at the lapse, not one sweep interval later")
        #expect(try await survivor.sweep().taken == 1)
        await survivor.shutdown()
    }
}
