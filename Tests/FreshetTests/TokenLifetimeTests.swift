import Foundation
import MetricsTestKit
import Synchronization
import Testing

@testable import Freshet

@Suite struct TokenLifetimeTests {
    final class Now: Sendable {
        let time = Mutex(Date(timeIntervalSince1970: 1_800_000_000))
        func advance(days: Double) { time.withLock { $0 = $0.addingTimeInterval(days * 86_400) } }
        var now: Date { time.withLock { $0 } }
    }

    func connection(_ store: InMemoryStore, keepAlive: Int? = nil) async throws -> Connection {
        let connection = Connection(
            name: "prod", server: try ServerURL(parsing: "https://tableau.example.com"), siteContentUrl: "", auth: .personalAccessToken(name: "p"),
            keepAliveDays: keepAlive)
        try await store.insert(StoredConnection(connection: connection, sealedSecret: ""))
        return connection
    }

    @Test func crossingTheWarningThresholdIsAuditedOnceAndReported() async throws {
        let store = InMemoryStore()
        let clock = Now()
        let gauges = TestMetrics()
        let lifetimes = TokenLifetimes(store: store, audit: store, alerts: store, metrics: EngineMetrics(factory: gauges), now: { clock.now })
        let prod = try await connection(store)
        try await store.insertAlertRoute(
            AlertRoute(
                name: "owners", format: .webhook, sealedURL: "", urlHint: "", sealedSecret: nil, connectionId: nil, project: nil,
                kinds: [AlertEvent.Kind.tokenExpiring], createdAt: clock.now, createdBy: "t"))
        try await lifetimes.recordSignIn(prod, expiresIn: 20 * 86_400, actor: "t")
        #expect(await store.events(AuditQuery(action: "tableau.token.expiring")).isEmpty)
        let gauge = try gauges.expectGauge(EngineMetrics.Name.tokenExpiry, [("connection", "prod")]).lastValue
        #expect(gauge == 1_728_000)
        clock.advance(days: 7)
        try await lifetimes.recordSignIn(prod, expiresIn: 13 * 86_400, actor: "t")
        clock.advance(days: 1)
        try await lifetimes.recordSignIn(prod, expiresIn: 12 * 86_400, actor: "t")
        let warnings = await store.events(AuditQuery(action: "tableau.token.expiring"))
        #expect(warnings.count == 1 && warnings.first?.details["daysLeft"] == "13" && warnings.first?.outcome == "warning")
        // A new token far from expiry, then close again: a new crossing, a new warning.
        try await lifetimes.recordSignIn(prod, expiresIn: 180 * 86_400, actor: "t")
        try await lifetimes.recordSignIn(prod, expiresIn: 2 * 86_400, actor: "t")
        #expect(await store.events(AuditQuery(action: "tableau.token.expiring")).count == 2)
        // Each crossing is one alert to the owners' route, naming the connection and the days left.
        let alerts = await store.alertDeliveries(AlertDeliveryQuery())
        #expect(alerts.count == 2 && alerts.allSatisfy { $0.event.kind == "token.expiring" && $0.event.connectionId == prod.id })
        #expect(alerts.contains { $0.event.summary.contains("expires in 13 days") })
        let recorded = try #require(await store.credentialLifetime(connectionId: prod.id))
        #expect(recorded.lastUsedAt == clock.now && recorded.daysLeft(at: clock.now) == 2)
    }

    @Test func theLifetimeCheckCountsDaysWarnsAndFails() async throws {
        let store = InMemoryStore()
        let clock = Now()
        let prod = try await connection(store, keepAlive: 7)
        let check = TokenLifetimeCheck(connection: prod, now: { clock.now }) { await store.credentialLifetime(connectionId: prod.id) }
        #expect(await check.result().message.hasPrefix("No sign-in has been recorded yet"))
        await store.recordSignIn(connectionId: prod.id, at: clock.now, expiresAt: clock.now.addingTimeInterval(30 * 86_400))
        let fine = await check.result()
        #expect(fine.passed && !fine.warning && fine.message.hasPrefix("Token lifetime OK: 30 days left"))
        #expect(fine.message.contains("Last used today.") && fine.message.hasSuffix("Keep-alive signs in at least every 7 days."))
        clock.advance(days: 20)
        let soon = await check.result()
        #expect(soon.passed && soon.warning && soon.message.contains("10 days left") && soon.message.contains("Last used 20 days ago."))
        clock.advance(days: 11)
        let expired = await check.result()
        #expect(!expired.passed && expired.message.hasPrefix("The Personal Access Token expired on"))
    }

    @Test func keepAliveIsDueAfterItsDaysOrWhenNeverSignedIn() throws {
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let server = try ServerURL(parsing: "https://t.example.com")
        let on = Connection(id: "a", name: "a", server: server, siteContentUrl: "", auth: .personalAccessToken(name: "p"), keepAliveDays: 7)
        let off = Connection(id: "b", name: "b", server: server, siteContentUrl: "", auth: .personalAccessToken(name: "q"))
        let fresh = Connection(id: "c", name: "c", server: server, siteContentUrl: "", auth: .personalAccessToken(name: "r"), keepAliveDays: 1)
        let lifetimes = [
            CredentialLifetime(connectionId: "a", expiresAt: nil, lastUsedAt: now.addingTimeInterval(-6.9 * 86_400)),
            CredentialLifetime(connectionId: "b", expiresAt: nil, lastUsedAt: now.addingTimeInterval(-100 * 86_400)),
        ]
        #expect(KeepAlivePlan.due([on, off, fresh], lifetimes: lifetimes, now: now).map(\.name) == ["c"])
        #expect(KeepAlivePlan.due([on, off, fresh], lifetimes: lifetimes, now: now.addingTimeInterval(0.1 * 86_400)).map(\.name) == ["a", "c"])
    }
}
