import Foundation
import Freshet
import Synchronization
import Testing

/// A transport that answers from a script (status, or nil for no answer) and records each call.
final class ScriptedAlertTransport: AlertTransport {
    struct Call: Sendable {
        var url: String
        var body: [UInt8]
        var headers: [(String, String)]
        func header(_ name: String) -> String? { headers.first { $0.0 == name }?.1 }
    }

    struct NoAnswer: Error {}

    private let state = Mutex<(script: [Int?], calls: [Call])>(([], []))

    init(_ script: [Int?] = []) { state.withLock { $0.script = script } }

    var calls: [Call] { state.withLock { $0.calls } }

    func post(url: String, body: [UInt8], headers: [(String, String)]) async throws -> Int {
        let answer = state.withLock { state -> Int? in
            state.calls.append(Call(url: url, body: body, headers: headers))
            return state.script.isEmpty ? 200 : state.script.removeFirst()
        }
        guard let answer else { throw NoAnswer() }
        return answer
    }
}

/// The durable outbox: run ends and stale transitions enqueue events for matching routes;
/// the dispatcher signs, retries with backoff, dead-letters, and re-sends after a crash.
struct AlertOutboxTests {
    static let keyring = Keyring(current: .generate())
    static let secret = "a-webhook-secret-of-some-length"

    struct Setup {
        let store: InMemoryStore
        let clock: ManualRunClock
        let routes: AlertRouteService

        func dispatcher(_ transport: ScriptedAlertTransport, holder: String = "p1", maxAttempts: Int = 4) -> AlertDispatcher {
            AlertDispatcher(
                store: store, connections: store, keyring: AlertOutboxTests.keyring, transport: transport, clock: clock, holder: holder,
                publicURL: "https://freshet.example.com", maxAttempts: maxAttempts, initialDelay: 2, maximumDelay: 60, leaseSeconds: 30)
        }
    }

    static func setup() async throws -> Setup {
        let store = InMemoryStore()
        let clock = ManualRunClock()
        let connection = Connection(
            id: FreshnessTests.connection, name: "prod", server: try ServerURL(parsing: "tableau.example.com"), siteContentUrl: "finance",
            auth: .personalAccessToken(name: "freshet"))
        try await store.insert(StoredConnection(connection: connection, sealedSecret: "fsk1:test:sealed"))
        return Setup(store: store, clock: clock, routes: AlertRouteService(store: store, connections: store, audit: store, keyring: keyring, now: { clock.now() }))
    }

    @Test func aFailedRunIsEnqueuedForTheRoutesItMatchesInTheSameWrite() async throws {
        let setup = try await Self.setup()
        _ = try await setup.routes.add(AlertRouteDraft(name: "all", format: .webhook, url: "https://ops.example.com/hook", secret: Self.secret), actor: "t")
        _ = try await setup.routes.add(
            AlertRouteDraft(name: "finance", format: .slack, url: "https://hooks.slack.com/services/T/B/X", connection: "prod", project: "Finance"), actor: "t")
        _ = try await setup.routes.add(
            AlertRouteDraft(name: "marketing", format: .slack, url: "https://hooks.slack.com/services/T/B/Y", project: "Marketing"), actor: "t")
        _ = try await setup.routes.add(
            AlertRouteDraft(name: "stale-only", format: .slack, url: "https://hooks.slack.com/services/T/B/Z", kinds: [AlertEvent.Kind.itemStale]), actor: "t")

        _ = try await FreshnessTests.end(setup.store, FreshnessTests.sales, .succeeded, at: setup.clock.now())
        #expect(await setup.store.alertDeliveries(AlertDeliveryQuery()).isEmpty)  // a plain success says nothing
        let failed = try await FreshnessTests.end(setup.store, FreshnessTests.sales, .failed, notes: "Login failed for user 'etl'.", at: setup.clock.now())
        let deliveries = await setup.store.alertDeliveries(AlertDeliveryQuery())
        #expect(deliveries.map(\.routeName).sorted() == ["all", "finance"])
        #expect(deliveries.allSatisfy { $0.event.id == "run.\(failed.id)" && $0.event.kind == AlertEvent.Kind.runFailed })
        #expect(deliveries[0].event.reason == "Login failed for user 'etl'." && deliveries[0].event.failureClass == "triggerRejected")
        #expect(await setup.store.enqueueAlert(deliveries[0].event, now: setup.clock.now()) == 0)  // the same event id twice: once

        _ = try await FreshnessTests.end(setup.store, FreshnessTests.sales, .succeeded, at: setup.clock.now())
        let recovered = await setup.store.alertDeliveries(AlertDeliveryQuery()).filter { $0.event.kind == AlertEvent.Kind.runRecovered }
        #expect(recovered.map(\.routeName).sorted() == ["all", "finance"])
    }

    @Test func aWebhookIsSignedLikeAccessEventsAndCarriesTheFacts() async throws {
        let setup = try await Self.setup()
        _ = try await setup.routes.add(AlertRouteDraft(name: "ops", format: .webhook, url: "https://ops.example.com/hook", secret: Self.secret), actor: "t")
        let failed = try await FreshnessTests.end(setup.store, FreshnessTests.sales, .failed, notes: "Login failed", at: setup.clock.now())
        let transport = ScriptedAlertTransport()
        #expect(try await setup.dispatcher(transport).deliverDue() == 1)
        let call = try #require(transport.calls.first)
        #expect(call.url == "https://ops.example.com/hook" && call.header("X-Freshet-Event-Id") == "run.\(failed.id)")
        try AccessEventSignature.verify(
            body: call.body, timestamp: call.header("X-Freshet-Timestamp"), signature: call.header("X-Freshet-Signature"), secret: Self.secret,
            now: setup.clock.now())
        #expect(throws: SignatureError.mismatch) {
            try AccessEventSignature.verify(
                body: call.body, timestamp: call.header("X-Freshet-Timestamp"), signature: call.header("X-Freshet-Signature"), secret: Self.secret + "x",
                now: setup.clock.now())
        }
        let body = try #require(try JSONSerialization.jsonObject(with: Data(call.body)) as? [String: Any])
        #expect(body["id"] as? String == "run.\(failed.id)" && body["type"] as? String == "run.failed" && body["reason"] as? String == "Login failed")
        #expect((body["connection"] as? [String: Any])?["site"] as? String == "finance" && (body["item"] as? [String: Any])?["name"] as? String == "Sales")
        #expect(body["runUrl"] as? String == "https://freshet.example.com/runs/\(failed.id)" && body["failureClass"] as? String == "triggerRejected")
        #expect(await setup.store.alertDeliveries(AlertDeliveryQuery(status: .delivered)).count == 1)
        #expect(try await setup.dispatcher(transport).deliverDue() == 0)  // delivered once
    }

    @Test func slackMessagesFollowTheIncomingWebhookFormat() throws {
        let event = AlertEvent(
            id: "run.1", kind: AlertEvent.Kind.runFailed, occurredAt: Date(timeIntervalSince1970: 0), connectionId: "c", project: "Finance",
            item: FreshnessTests.sales, summary: "Refresh of data source Sales failed", reason: "a <b> & c", failureClass: "tableauJobFailed", runId: "1")
        let bytes = AlertMessage.slack(event, context: AlertContext(connectionName: "prod", site: "", publicURL: "https://f.example.com"))
        let message = try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
        #expect(Set(message.keys) == ["text", "blocks"])
        #expect(message["text"] as? String == "Refresh of data source Sales failed: a <b> & c")
        let blocks = try #require(message["blocks"] as? [[String: Any]])
        #expect(blocks.map { $0["type"] as? String } == ["section", "section", "context"])
        let text = try #require((blocks[0]["text"] as? [String: Any]))
        #expect(text["type"] as? String == "mrkdwn" && (text["text"] as? String)?.contains("a &lt;b&gt; &amp; c") == true)
        let fields = try #require(blocks[1]["fields"] as? [[String: String]])
        #expect(fields.allSatisfy { $0["type"] == "mrkdwn" } && fields.count <= 10)
        #expect(fields.contains { $0["text"] == "*Site*\nprod, site Default" })
        #expect(fields.contains { $0["text"] == "*Run*\n<https://f.example.com/runs/1|1>" })
    }

    @Test func failuresAreRetriedWithBackoffThenDeadLetteredAndCanBeQueuedAgain() async throws {
        let setup = try await Self.setup()
        _ = try await setup.routes.add(AlertRouteDraft(name: "ops", format: .webhook, url: "https://ops.example.com/hook", secret: Self.secret), actor: "t")
        _ = try await FreshnessTests.end(setup.store, FreshnessTests.sales, .failed, at: setup.clock.now())
        let transport = ScriptedAlertTransport([503, nil, 500, 502])
        let dispatcher = setup.dispatcher(transport, maxAttempts: 4)
        #expect(try await dispatcher.deliverDue() == 1)
        var delivery = try #require(await setup.store.alertDeliveries(AlertDeliveryQuery()).first)
        #expect(delivery.status == .pending && delivery.attempts == 1 && delivery.lastError == "HTTP 503")
        #expect(delivery.nextAttemptAt == setup.clock.now().addingTimeInterval(2))
        #expect(try await dispatcher.deliverDue() == 0)  // not yet due
        for delay in [2, 4, 8] {
            setup.clock.advance(by: .seconds(delay))
            #expect(try await dispatcher.deliverDue() == 1)
        }
        delivery = try #require(await setup.store.alertDeliveries(AlertDeliveryQuery()).first)
        #expect(delivery.status == .dead && delivery.attempts == 4 && delivery.lastError == "HTTP 502 after 4 attempts")
        setup.clock.advance(by: .seconds(600))
        #expect(try await dispatcher.deliverDue() == 0)
        try await setup.routes.retry(delivery.id, actor: "t")
        #expect(try await dispatcher.deliverDue() == 1)
        #expect(await setup.store.alertDeliveries(AlertDeliveryQuery(status: .delivered)).count == 1)
        #expect(transport.calls.count == 5 && Set(transport.calls.compactMap { $0.header("X-Freshet-Event-Id") }).count == 1)
    }

    @Test func aPermanentRefusalIsDeadAtOnce() async throws {
        let setup = try await Self.setup()
        _ = try await setup.routes.add(AlertRouteDraft(name: "slack", format: .slack, url: "https://hooks.slack.com/services/T/B/X"), actor: "t")
        _ = try await FreshnessTests.end(setup.store, FreshnessTests.sales, .failed, at: setup.clock.now())
        let transport = ScriptedAlertTransport([404])
        #expect(try await setup.dispatcher(transport).deliverDue() == 1)
        #expect(await setup.store.alertDeliveries(AlertDeliveryQuery(status: .dead)).first?.attempts == 1)
        #expect(transport.calls.first?.header("X-Freshet-Signature") == nil)
    }

    @Test func aDeliveryClaimedByAProcessThatDiedIsSentAgainWithTheSameEventId() async throws {
        let setup = try await Self.setup()
        _ = try await setup.routes.add(AlertRouteDraft(name: "ops", format: .webhook, url: "https://ops.example.com/hook", secret: Self.secret), actor: "t")
        _ = try await FreshnessTests.end(setup.store, FreshnessTests.sales, .failed, at: setup.clock.now())
        // Process 1 claims the delivery, sends it (the receiver got it) and dies before recording the outcome.
        let claimed = await setup.store.claimAlertDeliveries(holder: "p1", until: setup.clock.now().addingTimeInterval(30), now: setup.clock.now(), limit: 10)
        #expect(claimed.count == 1)
        let second = ScriptedAlertTransport()
        #expect(try await setup.dispatcher(second, holder: "p2").deliverDue() == 0)  // leased by p1
        setup.clock.advance(by: .seconds(31))
        #expect(try await setup.dispatcher(second, holder: "p2").deliverDue() == 1)
        #expect(second.calls.first?.header("X-Freshet-Event-Id") == claimed[0].event.id)
        #expect(await setup.store.alertDeliveries(AlertDeliveryQuery(status: .delivered)).count == 1)
    }

    @Test func staleTransitionsAreAlertsAndRoutesAreChecked() async throws {
        let setup = try await Self.setup()
        _ = try await setup.routes.add(
            AlertRouteDraft(name: "stale", format: .slack, url: "https://hooks.slack.com/services/T/B/Z", kinds: [AlertEvent.Kind.itemStale]), actor: "t")
        _ = try await FreshnessTests.end(setup.store, FreshnessTests.sales, .succeeded, at: setup.clock.now())
        try await FreshnessPolicyService(store: setup.store, connections: setup.store, audit: setup.store, now: { setup.clock.now() })
            .set(FreshnessPolicyTarget(connection: "prod"), maxAgeSeconds: 60, actor: "t")
        let monitor = FreshnessMonitor(store: setup.store, audit: setup.store, clock: setup.clock)
        setup.clock.advance(by: .seconds(61))
        #expect(try await monitor.evaluate().count == 1)
        let deliveries = await setup.store.alertDeliveries(AlertDeliveryQuery())
        #expect(deliveries.map(\.event.kind) == [AlertEvent.Kind.itemStale] && deliveries[0].event.summary == "data source Sales is stale")

        await #expect(throws: AlertRouteError.self) {
            try await setup.routes.add(AlertRouteDraft(name: "plain", format: .webhook, url: "http://ops.example.com/hook"), actor: "t")
        }
        await #expect(throws: AlertRouteError.self) {
            try await setup.routes.add(AlertRouteDraft(name: "short", format: .webhook, url: "https://ops.example.com", secret: "short"), actor: "t")
        }
        await #expect(throws: (any Error).self) {
            try await setup.routes.add(AlertRouteDraft(name: "stale", format: .slack, url: "https://hooks.slack.com/services/T/B/Q"), actor: "t")
        }
        let (local, made) = try await setup.routes.add(AlertRouteDraft(name: "local", format: .webhook, url: "http://127.0.0.1:9/hook"), actor: "t")
        #expect(local.urlHint == "http://127.0.0.1:9" && (made ?? "").count >= 16 && !local.sealedURL.contains("127.0.0.1"))
    }
}
