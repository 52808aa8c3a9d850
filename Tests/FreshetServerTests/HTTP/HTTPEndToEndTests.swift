import Foundation
import Freshet
import FreshetServer
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Synchronization
import TableauEmulator
import Testing

/// The server on a real socket (127.0.0.1, port 0) with the emulator, SQLite and the demo
/// connection: a scoped token runs the health checks over HTTP, and the result is in the audit
/// log and in /metrics.
@Suite struct HTTPEndToEndTests {
    @Test func checksOverARealSocketReachAuditAndMetrics() async throws {
        try await withEmulator(seed: try DemoSeed.seed()) { emulator in
            let data = DemoDataDirectory()
            defer { data.remove() }
            let runtime = try await data.addDemoConnection(emulator)
            let (_, operator_) = try await runtime.tokens.create(name: "ops", scopes: [.connectionsAdmin, .read, .auditRead], actor: "test")
            let server = FreshetHTTPServer(api: FreshetAPI(runtime: runtime, metrics: PrometheusMetrics()))
            try await withSocketServer(server) { port in
                #expect(port > 0)
                func call(_ method: HTTPRequest.Method, _ path: String) async throws -> (status: HTTPResponse.Status, object: [String: Any], text: String) {
                    try await socketCall(port: port, method, path, token: operator_)
                }
                let check = try await call(.post, "/api/v1/connections/demo/check")
                let report = check.object
                #expect(check.status == .ok)
                #expect(report["passed"] as? Bool == true, "\(report)")
                #expect((report["results"] as? [Any])?.count == 5)

                let audit = try await call(.get, "/api/v1/audit?action=connection.checked")
                let events = audit.object["events"] as? [[String: Any]]
                #expect(events?.first?["actor"] as? String == "token:ops")
                #expect(events?.first?["outcome"] as? String == "success")

                let metrics = try await socketCall(port: port, .get, "/metrics").text
                #expect(metrics.contains(#"freshet_tableau_signins_total{outcome="success"} 1"#), "\(metrics)")
                #expect(metrics.contains(#"freshet_api_requests_total{method="POST",route="/api/v1/connections/{connection}/check",status="200"} 1"#))
                #expect(metrics.contains(#"freshet_tableau_calls_total{status="200"}"#))
            }
        }
    }
}
