import Foundation
import Freshet
import Testing

/// Webhook deliveries are hints: they wake the waiting runs of their item at once, a check
/// confirms the outcome, and a missing, late, repeated or forged delivery changes only timing.
@Suite struct WebhookHintTests {
    private func checks(_ harness: EngineHarness) -> Int { harness.tableau.calls.filter { $0.hasPrefix("check") }.count }
    private let itemId = ScriptedTableau.items(1)[0].item.tableauId

    /// A process with webhooks registered for the connection, one run waiting on a 3 s job.
    private func waiting() async throws -> (EngineHarness, RefreshEngine, String) {
        let harness = try await EngineHarness.make(items: 1, jobSeconds: 3)
        let (engine, _) = harness.process("p")
        await engine.setWebhooks(harness.connection.id, registered: true)
        let submitted = try await engine.submit(harness.request(items: 1), actor: "pipeline")
        let id = submitted.runs[0].run.id
        #expect(try await harness.advance(until: { try await engine.run(id: id)?.state == .waiting }, engines: [engine]))
        return (harness, engine, id)
    }

    private func settle(_ engine: RefreshEngine) async {
        for _ in 0..<3 {
            await engine.settle()
            await Task.yield()
        }
    }

    /// The delivery after the job ended ends the run with one check, and no check came before it.
    @Test func aDeliveryEndsTheWaitWithOneCheck() async throws {
        let (harness, engine, id) = try await waiting()
        harness.clock.advance(by: .seconds(3))
        await settle(engine)
        #expect(checks(harness) == 0)
        #expect(await engine.webhookDelivered(connectionId: harness.connection.id, itemId: itemId) == 1)
        #expect(try await harness.advance(until: { try await engine.run(id: id)?.state == .succeeded }, limit: .zero, engines: [engine]))
        #expect(checks(harness) == 1)
        await engine.shutdown()
    }

    /// Repeated deliveries cost nothing more; one that comes after the run ended does nothing.
    @Test func repeatedAndLateDeliveriesChangeNothing() async throws {
        let (harness, engine, id) = try await waiting()
        harness.clock.advance(by: .seconds(3))
        await engine.webhookDelivered(connectionId: harness.connection.id, itemId: itemId)
        await engine.webhookDelivered(connectionId: harness.connection.id, itemId: itemId)
        #expect(try await harness.advance(until: { try await engine.run(id: id)?.state == .succeeded }, limit: .zero, engines: [engine]))
        #expect(await engine.webhookDelivered(connectionId: harness.connection.id, itemId: itemId) == 0)
        await settle(engine)
        #expect(checks(harness) == 1)
        await engine.shutdown()
    }

    /// A forged (or early) delivery costs one check that finds the job running; the run keeps
    /// waiting and ends with Tableau's outcome on the real delivery.
    @Test func aForgedDeliveryOnlyCostsACheck() async throws {
        let (harness, engine, id) = try await waiting()
        #expect(await engine.webhookDelivered(connectionId: harness.connection.id, itemId: itemId) == 1)
        await settle(engine)
        #expect(checks(harness) == 1)
        #expect(try await engine.run(id: id)?.state == .waiting)
        #expect(await engine.webhookDelivered(connectionId: harness.connection.id, itemId: "00000000-0000-0000-0000-999999999999") == 0)
        harness.clock.advance(by: .seconds(3))
        await engine.webhookDelivered(connectionId: harness.connection.id, itemId: itemId)
        #expect(try await harness.advance(until: { try await engine.run(id: id)?.state == .succeeded }, limit: .zero, engines: [engine]))
        #expect(checks(harness) == 2)
        await engine.shutdown()
    }

    /// Without a delivery the fallback check ends the run (30 s after it started waiting, not
    /// sooner), and the connection is polled as usual from then on, until a delivery comes.
    @Test func pollingTakesOverWhenDeliveriesStop() async throws {
        let (harness, engine, id) = try await waiting()
        let start = harness.clock.now()
        #expect(try await harness.advance(until: { try await engine.run(id: id)?.state == .succeeded }, engines: [engine]))
        #expect(harness.clock.now().timeIntervalSince(start) >= JobPollingSchedule.fallbackMinimum)
        #expect(checks(harness) == 1)
        // The next refresh is polled on the learned schedule: one check near its expected end.
        let second = try await engine.submit(harness.request(items: 1, key: "second"), actor: "pipeline")
        let secondStart = harness.clock.now()
        #expect(try await harness.advance(until: { try await engine.run(id: second.runs[0].run.id)?.state == .succeeded }, engines: [engine]))
        #expect(harness.clock.now().timeIntervalSince(secondStart) < 10)
        #expect(checks(harness) == 2)
        await engine.shutdown()
    }
}
