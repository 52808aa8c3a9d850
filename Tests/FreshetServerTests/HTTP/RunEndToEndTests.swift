import Foundation
import Freshet
import FreshetServer
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import TableauEmulator
import Testing

/// The server on a real socket (127.0.0.1, port 0) with the emulator and SQLite: a refresh
/// created over HTTP, waited on with a long-poll, then seen in the audit log and in /metrics.
@Suite struct RunEndToEndTests {
    @Test func aRefreshCreatedOverHTTPIsLongPolledAuditedAndCounted() async throws {
        let data = DemoDataDirectory()
        defer { data.remove() }
        try await withEmulator(seed: try RefreshSeed.seed()) { emulator in
            let runtime = try await data.addDemoConnection(emulator)
            let (_, secret) = try await runtime.tokens.create(
                name: "pipeline", scopes: [.refresh, .auditRead], allowList: TokenAllowList(connections: [GlobPattern("demo")], projects: [GlobPattern("Default")]),
                actor: "test")
            let api = RunFixture.api(runtime)
            try await withSocketServer(FreshetHTTPServer(api: api)) { port in
                func call(_ method: HTTPRequest.Method, _ path: String, body: String? = nil) async throws -> (HTTPResponse.Status, [String: Any], String) {
                    try await socketCall(port: port, method, path, token: secret, body: body)
                }
                let (status, created, text) = try await call(.post, "/api/v1/runs", body: runsBody(#"{"datasource": "Slow"}"#))
                #expect(status == .accepted, "\(text)")
                let id = try #require((created["runs"] as? [[String: Any]])?.first?["id"] as? String)
                let (polledStatus, polled, _) = try await call(.get, "/api/v1/runs/\(id)?waitSeconds=30")
                #expect(polledStatus == .ok && polled["state"] as? String == "succeeded" && polled["finished"] as? Bool == true)
                await api.engine.settle()  // a run's end is stored before its audit and metrics

                let (_, audit, _) = try await call(.get, "/api/v1/audit?target=\(id)")
                let events = audit["events"] as? [[String: Any]] ?? []
                #expect(Set(events.compactMap { $0["action"] as? String }) == ["run.accepted", "run.triggered", "run.finished"], "\(events)")
                #expect(events.allSatisfy { $0["actor"] as? String == "token:pipeline" })

                let metricsText = try await socketCall(port: port, .get, "/metrics").text
                #expect(metricsText.contains(#"freshet_runs_total{outcome="succeeded"} 1"#), "\(metricsText)")
                #expect(metricsText.contains("freshet_run_queue_depth 0"))
                #expect(metricsText.contains(#"freshet_api_requests_total{method="POST",route="/api/v1/runs",status="202"} 1"#))
                #expect(metricsText.contains(#"freshet_api_requests_total{method="GET",route="/api/v1/runs/{run}",status="200"} 1"#))
                #expect(metricsText.contains("freshet_refresh_duration_seconds_count 1"))
                #expect(emulator.refreshCalls() == 1)
            }
            await api.engine.shutdown()
        }
    }
}
