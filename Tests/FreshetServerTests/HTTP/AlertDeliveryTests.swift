import Foundation
import Freshet
import FreshetServer
import HTTPTypes
import HummingbirdTesting
import Logging
import Synchronization
import Testing

/// Alerts end to end: a refresh fails against the emulator, the alert is delivered over a real
/// socket to a local receiver that first answers 503 (restarting), signed, once it is up; the
/// routes and the outbox are visible in the API.
struct AlertDeliveryTests {
    static let secret = "receiver-shared-secret-123"

    @Test func aFailedRefreshReachesTheReceiverSignedAfterItsRestart() async throws {
        let receiver = AlertReceiver()
        try await receiver.serve { url in
            try await RunFixture.test { fixture, client in
                let add = #"{"name": "ops", "format": "webhook", "url": "\#(url)", "secret": "\#(Self.secret)", "connection": "demo"}"#
                let added = try await client.call(.post, "/api/v1/alerts/routes", token: fixture.admin, body: add)
                #expect(added.status == .created && added.object["secret"] as? String == Self.secret)
                let listed = try await client.call(.get, "/api/v1/alerts/routes", token: fixture.admin)
                #expect(!listed.text.contains("/hook") && listed.text.contains("http://127.0.0.1"))
                #expect(try await client.call(.post, "/api/v1/alerts/routes", token: fixture.admin, body: add).status == .conflict)

                receiver.answer([503])
                let token = try await fixture.token("etl", [.refresh])
                let run = try await client.createRuns(runsBody(#"{"datasource": "Broken"}"#, extra: #""waitSeconds": 30"#), token: token)
                let runId = try #require(run.runIds.first)
                let clock = SteppedClock()
                let dispatcher = AlertDispatcher(
                    store: fixture.runtime.store, connections: fixture.runtime.store, keyring: fixture.runtime.keyring, transport: HTTPAlertTransport(),
                    clock: clock, publicURL: "http://freshet.test")
                #expect(try await dispatcher.deliverDue() == 1)  // 503: the receiver is restarting
                #expect(try await dispatcher.deliverDue() == 0)  // not due before its backoff
                clock.step(by: 2)
                #expect(try await dispatcher.deliverDue() == 1)
                let received = receiver.received
                #expect(received.count == 2)
                #expect(Set(received.compactMap { $0.header("X-Freshet-Event-Id") }) == ["run.\(runId)"])
                for request in received {
                    try AccessEventSignature.verify(
                        body: request.body, timestamp: request.header("X-Freshet-Timestamp"), signature: request.header("X-Freshet-Signature"),
                        secret: Self.secret, now: Date())
                }
                let body = received[1].json
                #expect(body["type"] as? String == "run.failed" && (body["reason"] as? String)?.contains("Login failed for user 'etl'") == true)
                #expect((body["item"] as? [String: Any])?["name"] as? String == "Broken" && body["runUrl"] as? String == "http://freshet.test/runs/\(runId)")
                #expect((body["connection"] as? [String: Any])?["name"] as? String == "demo" && body["failureClass"] as? String == "tableauJobFailed")

                let deliveries = try await client.call(.get, "/api/v1/alerts/deliveries?status=delivered", token: fixture.admin)
                let shown = try #require((deliveries.object["deliveries"] as? [[String: Any]])?.first)
                #expect(shown["attempts"] as? Int == 2 && shown["eventId"] as? String == "run.\(runId)" && shown["route"] as? String == "ops")
                #expect(try await client.call(.get, "/api/v1/alerts/deliveries?status=lost", token: fixture.admin).status == .badRequest)
                #expect(try await client.call(.delete, "/api/v1/alerts/routes/ops", token: fixture.admin).status == .ok)
                #expect(try await client.call(.delete, "/api/v1/alerts/routes/ops", token: fixture.admin).status == .notFound)
            }
        }
    }
}

/// The wall clock plus steps a test takes (backoffs pass without waiting).
final class SteppedClock: RunClock {
    private let offset = Mutex<Double>(0)
    func now() -> Date { Date().addingTimeInterval(offset.withLock { $0 }) }
    func sleep(for duration: Duration) async throws { try await Task.sleep(for: duration) }
    func step(by seconds: Double) { offset.withLock { $0 += seconds } }
}
