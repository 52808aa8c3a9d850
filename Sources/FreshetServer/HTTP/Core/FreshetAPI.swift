package import Foundation
package import Freshet
package import Hummingbird
import ServiceLifecycle

/// What route handlers work with: the runtime's services, metrics, and the two helpers every
/// `/api/v1` handler uses — ``authorize(_:_:_:)`` and ``json(_:status:)``.
package struct FreshetAPI: Sendable {
    package let runtime: FreshetRuntime
    package let metrics: PrometheusMetrics
    package let now: @Sendable () -> Date
    /// The server's refresh engine (one per server: it batches job polling per connection).
    package let engine: RefreshEngine
    /// Caches for the hottest paths (token authentication, ended runs).
    package let caches = HotPathCaches()
    /// Whether the database took the latest writes (`/ready` is 503 while it did not).
    package let storage = StorageHealth()
    /// The address Tableau reaches this server at (`--public-url`), when its webhooks are used.
    package var publicURL: String?

    /// `engine` defaults to an engine with the default configuration.
    package init(
        runtime: FreshetRuntime, metrics: PrometheusMetrics, now: @escaping @Sendable () -> Date = { Date() }, engine: RefreshEngine? = nil
    ) {
        self.runtime = runtime
        self.metrics = metrics
        self.now = now
        self.engine = engine ?? runtime.refreshEngine(configuration: RefreshEngineConfiguration(), metrics: metrics.engine)
    }

    /// The per-item freshness gauges (``FreshnessExposition``), empty when the store cannot be read.
    package func freshnessExposition() async -> String {
        guard let statuses = try? await freshnessMonitor.report(), let connections = try? await runtime.store.connections() else { return "" }
        let names = Dictionary(connections.map { ($0.connection.id, $0.connection.name) }, uniquingKeysWith: { first, _ in first })
        let limit = ProcessInfo.processInfo.environment["FRESHET_FRESHNESS_METRICS_LIMIT"].flatMap(Int.init) ?? FreshnessExposition.defaultLimit
        return FreshnessExposition.render(statuses, connectionNames: names, limit: limit)
    }

    /// Sets the queue-depth gauge to the number of runs not yet ended.
    package func updateQueueDepth() async {
        if let count = try? await runtime.store.nonTerminalRunCount() { metrics.engine.queueDepth(count) }
    }

    /// Sets each connection's seconds-to-expiry gauge from the recorded token lifetimes.
    package func updateTokenExpiry() async {
        guard let connections = try? await runtime.store.connections().map(\.connection) else { return }
        try? await runtime.lifetimes.reporting(to: metrics.engine).reportAll(connections)
    }

    /// Waits at most `limit` for runs `ids` to end (``RefreshEngine/wait(for:limit:until:onChange:)``),
    /// but stops early when the server shuts down gracefully and answers the runs as they stand:
    /// they stay durable, and an open long-poll does not hold the exit.
    package func longPoll(_ ids: [String], limit: Duration) async throws -> [Run] {
        do {
            return try await cancelWhenGracefulShutdown { try await engine.wait(for: ids, limit: limit) }
        } catch is CancellationError where !Task.isCancelled {
            var runs: [Run] = []
            for id in ids { if let run = try await runtime.store.run(id: id) { runs.append(run) } }
            return runs
        }
    }

    package var tokens: TokenService { TokenService(store: runtime.store, audit: runtime.store, now: now) }
    package var audit: any AuditStore { runtime.store }
    /// Freshness per item under the stored policies, on the server's clock.
    package var freshnessMonitor: FreshnessMonitor {
        FreshnessMonitor(store: runtime.store, audit: runtime.store, clock: APIClock(current: now), metrics: metrics.engine)
    }
    /// Alert routes and re-queuing of dead deliveries.
    package var alertRoutes: AlertRouteService {
        AlertRouteService(store: runtime.store, connections: runtime.store, audit: runtime.store, keyring: runtime.keyring, now: now)
    }
    package var freshnessPolicies: FreshnessPolicyService {
        FreshnessPolicyService(store: runtime.store, connections: runtime.store, audit: runtime.store, now: now)
    }

    /// The request's token if it may do `action`; otherwise audits the refusal ("api.denied")
    /// and throws a 403 problem naming the missing scope or the content.
    @discardableResult
    package func authorize(_ action: TokenAction, _ request: Request, _ context: FreshetRequestContext) async throws -> APIToken {
        let token = try context.requireToken()
        guard case .denied(let denial) = Authorizer.decide(token, action, now: now()) else { return token }
        let target: String
        switch action {
        case .refresh(let content), .readRun(let content): target = content.phrase
        default: target = context.endpointPath ?? request.uri.path
        }
        throw try await deny(denial.message, missingScope: denial.missingScope, target: target, token: token, request)
    }

    /// Audits a refusal of `target` ("api.denied", with `message` as the reason) and returns the
    /// 403 problem to throw.
    package func deny(_ message: String, missingScope: TokenScope?, target: String, token: APIToken, _ request: Request) async throws -> ProblemDocument {
        var details = ["method": request.method.rawValue, "path": request.uri.path, "reason": message]
        if let missingScope { details["missingScope"] = missingScope.rawValue }
        try await audit.append(AuditEvent(time: now(), actor: token.actor, action: "api.denied", target: target, outcome: "failure", details: details))
        return ProblemDocument.forbidden(message, missingScope: missingScope?.rawValue)
    }

    /// `value` as a JSON response (ISO 8601 dates, sorted keys).
    package func json(_ value: some Encodable, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) throws -> Response {
        var fields = headers
        fields[.contentType] = "application/json"
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: try Self.encoder.encode(value))))
    }

    /// Already-encoded JSON as a response.
    package func json(bytes: ByteBuffer, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: bytes))
    }

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }()
}

/// A family of `/api/v1` routes. Phase 2 adds runs by writing a `RunRoutes: APIRouteCollection`
/// and listing it in ``FreshetHTTPServer/apiRoutes``.
package protocol APIRouteCollection: Sendable {
    /// Registers the routes on `api` (paths relative to `/api/v1`, bearer-authenticated).
    func register(on api: RouterGroup<FreshetRequestContext>, _ server: FreshetAPI)
}

extension Parameters {
    /// The percent-decoded path parameter `name`.
    package func decoded(_ name: String) throws -> String {
        let raw = try require(name)
        guard raw.utf8.contains(UInt8(ascii: "%")) else { return String(raw) }
        return raw.removingPercentEncoding ?? String(raw)
    }
}

/// The API's `now` as a ``RunClock`` (sleeping on the system clock).
struct APIClock: RunClock {
    let current: @Sendable () -> Date
    func now() -> Date { current() }
    func sleep(for duration: Duration) async throws { try await Task.sleep(for: duration) }
}
