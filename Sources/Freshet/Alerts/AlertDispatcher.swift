import Foundation
package import Logging

/// Sends one HTTP POST; the server gives an AsyncHTTPClient one (the engine has no HTTP client).
package protocol AlertTransport: Sendable {
    /// POSTs `body` with `headers` to `url`; returns the HTTP status, or throws when no answer came.
    func post(url: String, body: [UInt8], headers: [(String, String)]) async throws -> Int
}

/// Delivers the outbox: claims due deliveries (leased, so several processes never send one at
/// the same time and a dead process's claims lapse), renders each for its route, signs generic
/// webhooks (``AccessEventSignature``: `X-Freshet-Signature` over `"<timestamp>.<body>"`) and
/// records the outcome — delivered on 2xx; else retried with exponential backoff, and
/// dead-lettered after ``maxAttempts`` or at once on an answer that will not change (400, 401,
/// 403, 404, 405, 410, 413, 422).
package struct AlertDispatcher: Sendable {
    let store: any AlertStore
    let connections: any ConnectionStore
    let keyring: Keyring
    let transport: any AlertTransport
    let clock: any RunClock
    let holder: String
    let publicURL: String?
    let logger: Logger
    /// Attempts before a delivery is dead-lettered.
    package let maxAttempts: Int
    /// Seconds before the second attempt; doubled per attempt, at most ``maximumDelay``.
    package let initialDelay: Double
    package let maximumDelay: Double
    /// How long a claim lasts (longer than one send with its timeout).
    package let leaseSeconds: Double

    package init(
        store: any AlertStore, connections: any ConnectionStore, keyring: Keyring, transport: any AlertTransport, clock: any RunClock = SystemRunClock(),
        holder: String = "alerts-\(UUID().uuidString)", publicURL: String? = nil, maxAttempts: Int = 10, initialDelay: Double = 2, maximumDelay: Double = 600,
        leaseSeconds: Double = 60, logger: Logger = Logger(label: "freshet.alerts", factory: { _ in SwiftLogNoOpLogHandler() })
    ) {
        self.store = store
        self.connections = connections
        self.keyring = keyring
        self.transport = transport
        self.clock = clock
        self.holder = holder
        self.publicURL = publicURL
        self.maxAttempts = max(1, maxAttempts)
        self.initialDelay = max(0.01, initialDelay)
        self.maximumDelay = max(self.initialDelay, maximumDelay)
        self.leaseSeconds = leaseSeconds
        self.logger = logger
    }

    /// Statuses that another attempt will not change: dead-lettered at once.
    static let permanent: Set<Int> = [400, 401, 403, 404, 405, 410, 413, 422]

    /// Sends every due delivery (up to `limit`); returns how many were attempted.
    @discardableResult
    package func deliverDue(limit: Int = 50) async throws -> Int {
        let now = clock.now()
        let claimed = try await store.claimAlertDeliveries(holder: holder, until: now.addingTimeInterval(leaseSeconds), now: now, limit: limit)
        guard !claimed.isEmpty else { return 0 }
        let routes = Dictionary(try await store.alertRoutes().map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        await withTaskGroup(of: Void.self) { group in
            for delivery in claimed {
                group.addTask { await deliver(delivery, route: routes[delivery.routeId]) }
            }
        }
        return claimed.count
    }

    /// One attempt at `delivery`, recorded.
    func deliver(_ delivery: AlertDelivery, route: AlertRoute?) async {
        let outcome: AlertAttemptOutcome
        if let route {
            outcome = await attempt(delivery, route: route)
        } else {
            outcome = .dead(error: "The route was removed")
        }
        do {
            try await store.completeAlertDelivery(id: delivery.id, outcome: outcome, now: clock.now())
        } catch {
            logger.error("could not record an alert delivery", metadata: ["delivery": "\(delivery.id)", "error": "\(error)"])
        }
        if case .dead(let error) = outcome {
            logger.warning("alert dead-lettered", metadata: ["delivery": "\(delivery.id)", "route": "\(delivery.routeName)", "error": "\(error)"])
        }
    }

    func attempt(_ delivery: AlertDelivery, route: AlertRoute) async -> AlertAttemptOutcome {
        let attempt = delivery.attempts + 1
        let url: String
        let secret: String?
        do {
            url = try keyring.open(route.sealedURL)
            secret = try route.sealedSecret.map { try keyring.open($0) }
        } catch {
            return .dead(error: "The route's URL or secret cannot be opened with the current keys")
        }
        let (body, headers) = await request(delivery.event, route: route, secret: secret, attempt: attempt)
        let failure: String
        do {
            let status = try await transport.post(url: url, body: body, headers: headers)
            if (200..<300).contains(status) { return .delivered }
            failure = "HTTP \(status)"
            if Self.permanent.contains(status) { return .dead(error: failure + " (will not change on retry)") }
        } catch {
            failure = "No answer: \(Self.describe(error))"
        }
        if attempt >= maxAttempts { return .dead(error: failure + " after \(attempt) attempts") }
        let delay = min(maximumDelay, initialDelay * pow(2, Double(attempt - 1)))
        return .retry(at: clock.now().addingTimeInterval(delay), error: failure)
    }

    /// The body and headers of `event` for `route`.
    func request(_ event: AlertEvent, route: AlertRoute, secret: String?, attempt: Int) async -> ([UInt8], [(String, String)]) {
        var context = AlertContext(publicURL: publicURL)
        if let id = event.connectionId, let connection = try? await connections.connection(id: id)?.connection {
            context.connectionName = connection.name
            context.site = connection.siteContentUrl
        }
        var headers = [("Content-Type", "application/json"), ("User-Agent", "Freshet-Alerts"), ("X-Freshet-Event-Id", event.id)]
        switch route.format {
        case .slack:
            return (AlertMessage.slack(event, context: context), headers)
        case .webhook:
            let body = AlertMessage.webhook(event, context: context)
            let timestamp = Int(clock.now().timeIntervalSince1970)
            headers += [("X-Freshet-Event-Type", event.kind), ("X-Freshet-Delivery-Attempt", String(attempt))]
            if let secret {
                headers += [
                    (AccessEventSignature.timestampHeader, String(timestamp)),
                    (AccessEventSignature.signatureHeader, AccessEventSignature.sign(body: body, timestamp: timestamp, secret: secret)),
                ]
            }
            return (body, headers)
        }
    }

    /// A transport error without anything that could hold the URL's secret path.
    static func describe(_ error: any Error) -> String {
        let text = "\(error)"
        return text.contains("http") ? String(describing: type(of: error)) : String(text.prefix(200))
    }
}
