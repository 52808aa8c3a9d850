import Foundation
import Freshet
import FreshetServer
import FreshetSQLite
import Hummingbird
import HummingbirdTesting
import Testing

@Suite struct HTTPOperationsTests {
    @Test func healthAndReadyNeedNoToken() async throws {
        try await HTTPFixture.test { _, client in
            let health = try await client.call(.get, "/health")
            #expect(health.status == .ok && health.object["status"] as? String == "up")
            let ready = try await client.call(.get, "/ready")
            #expect(ready.status == .ok && ready.object["status"] as? String == "ready")
            #expect(ready.object["schemaVersion"] as? String == SQLiteDatabase.latestSchemaVersion)
        }
    }

    @Test func readyIsUnavailableWhenTheDatabaseIsClosed() async throws {
        try await HTTPFixture.test { fixture, client in
            try #require(fixture.runtime.sqliteDatabase).close()
            let ready = try await client.call(.get, "/ready")
            #expect(ready.status == .serviceUnavailable && ready.isProblem)
            #expect(try await client.call(.get, "/health").status == .ok)
        }
    }

    @Test func metricsCountRequestsByRouteAndStatus() async throws {
        try await HTTPFixture.test { fixture, client in
            _ = try await client.call(.get, "/api/v1/connections", token: fixture.adminToken)
            _ = try await client.call(.get, "/api/v1/connections/missing", token: fixture.adminToken)
            _ = try await client.call(.get, "/nowhere")
            let metrics = try await client.call(.get, "/metrics")
            #expect(metrics.status == .ok)
            #expect(metrics.headers[.contentType]?.hasPrefix("text/plain") == true)
            let text = metrics.text
            #expect(text.contains(#"freshet_api_requests_total{method="GET",route="/api/v1/connections",status="200"} 1"#))
            #expect(text.contains(#"freshet_api_requests_total{method="GET",route="/api/v1/connections/{connection}",status="404"} 1"#))
            #expect(text.contains(#"freshet_api_requests_total{method="GET",route="unmatched",status="404"} 1"#))
            for family in ["freshet_runs_total", "freshet_tableau_signins_total", "freshet_run_queue_depth", "freshet_refresh_duration_seconds"] {
                #expect(text.contains("# TYPE \(family)"), "\(family) missing")
            }
        }
    }

    @Test func theEngineRecorderFeedsMetrics() {
        let metrics = PrometheusMetrics()
        let recorder = metrics.engine
        recorder.runFinished(outcome: "succeeded", duration: 42)
        recorder.queueDepth(3)
        recorder.tableauCall(status: 401, errorCode: "401002")
        recorder.tableauSignIn(outcome: "failure")
        let text = metrics.render()
        #expect(text.contains(#"freshet_runs_total{outcome="succeeded"} 1"#))
        #expect(text.contains("freshet_run_queue_depth 3"))
        #expect(text.contains(#"freshet_tableau_errors_total{code="401002"} 1"#))
        #expect(text.contains(#"freshet_tableau_signins_total{outcome="failure"} 1"#))
        #expect(text.contains("freshet_refresh_duration_seconds_count 1"))
        // The engine reports through swift-metrics; the exposition keeps its names and help texts.
        #expect(text.contains("# HELP freshet_runs_total Refresh runs ended, by outcome."))
        #expect(text.contains(#"freshet_refresh_duration_seconds_bucket{le="60.0"} 1"#))
    }
}
