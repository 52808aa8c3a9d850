import Foundation
import Freshet
import FreshetServer
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import TableauEmulator
import Testing

/// The runs routes in process (HummingbirdTesting's router framework) over the emulator with
/// fast refresh jobs, a SQLite data directory with the "demo" connection, and an admin token.
struct RunFixture: Sendable {
    let emulator: RunningEmulator
    let runtime: FreshetRuntime
    let api: FreshetAPI
    let admin: String

    /// Runs `body` against the router, then stops the engine and removes the data directory.
    static func test(_ body: @Sendable (RunFixture, any TestClientProtocol) async throws -> Void) async throws {
        let data = DemoDataDirectory()
        defer { data.remove() }
        try await withEmulator(seed: try RefreshSeed.seed()) { emulator in
            let runtime = try await data.addDemoConnection(emulator)
            let api = Self.api(runtime)
            let admin = try #require(try await runtime.tokens.createInitialAdminIfNone()).secret
            let fixture = RunFixture(emulator: emulator, runtime: runtime, api: api, admin: admin)
            let app = Application(router: FreshetHTTPServer(api: api).router(), logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
            do {
                try await app.test(.router) { client in try await body(fixture, client) }
            } catch {
                await api.engine.shutdown()
                throw error
            }
            await api.engine.shutdown()
        }
    }

    /// The API of `runtime` with its own metrics and an engine tuned for the fast refresh seed.
    static func api(_ runtime: FreshetRuntime) -> FreshetAPI {
        let metrics = PrometheusMetrics()
        return FreshetAPI(
            runtime: runtime, metrics: metrics, engine: runtime.refreshEngine(configuration: RefreshSeed.configuration, metrics: metrics.engine))
    }

    /// A new token with `scopes` and `allow`; returns its text.
    func token(_ name: String, _ scopes: Set<TokenScope>, allow: TokenAllowList = .everything) async throws -> String {
        try await runtime.tokens.create(name: name, scopes: scopes, allowList: allow, actor: "test").secret
    }

    /// `api.denied` audit events of token `name`.
    func denials(_ name: String) async throws -> [AuditEvent] {
        try await runtime.store.events(AuditQuery(actor: "token:\(name)", action: "api.denied"))
    }
}

/// Requests and answers of the runs routes.
extension TestClientProtocol {
    /// `POST /api/v1/runs` with `body`, an optional Idempotency-Key header.
    func createRuns(_ body: String, token: String, idempotencyKey: String? = nil) async throws -> TestResponse {
        var headers: HTTPFields = [.authorization: "Bearer \(token)", .contentType: "application/json"]
        if let idempotencyKey { headers[HTTPField.Name("Idempotency-Key")!] = idempotencyKey }
        return try await execute(uri: "/api/v1/runs", method: .post, headers: headers, body: ByteBuffer(string: body))
    }
}

extension TestResponse {
    /// The `runs` of a runs answer or page.
    var runs: [[String: Any]] { object["runs"] as? [[String: Any]] ?? [] }
    /// The ids of `runs`.
    var runIds: [String] { runs.compactMap { $0["id"] as? String } }
}

/// A `POST /api/v1/runs` body on "demo".
func runsBody(_ targets: String, extra: String = "") -> String {
    #"{"connection": "demo", "targets": [\#(targets)]\#(extra.isEmpty ? "" : ", " + extra)}"#
}
