import Foundation
import Freshet
import FreshetServer
import HTTPTypes
import HummingbirdTesting
import Testing

/// `POST /api/v1/pipeline-events` over the emulator's lineage: a failure marks everything
/// downstream of the tables stale without refreshing, idempotently; the pipeline's success clears it.
struct PipelineEventRoutesTests {
    static func body(_ id: String, _ status: String, pipeline: String = "nightly_orders") -> String {
        #"{"eventId": "\#(id)", "connection": "demo", "pipeline": "\#(pipeline)", "status": "\#(status)", "reason": "load failed", "tables": ["warehouse.public.orders"]}"#
    }

    static func staleNames(_ client: any TestClientProtocol, _ token: String) async throws -> [String] {
        let answer = try await client.call(.get, "/api/v1/freshness?stale=true", token: token)
        return ((answer.object["items"] as? [[String: Any]]) ?? []).compactMap { $0["itemName"] as? String }.sorted()
    }

    @Test func aPipelineFailureMarksEverythingDownstreamStaleUntilItSucceeds() async throws {
        try await RunFixture.test { fixture, client in
            let etl = try await fixture.token("etl", [.refresh])
            let failed = try await client.call(.post, "/api/v1/pipeline-events", token: etl, body: Self.body("e1", "failed"))
            #expect(failed.status == .ok && failed.object["repeated"] as? Bool == false)
            let items = ((failed.object["event"] as? [String: Any])?["items"] as? [[String: Any]]) ?? []
            #expect(items.compactMap { $0["itemName"] as? String }.sorted() == ["Board", "Live", "Live Board", "Quick"])
            #expect(try await Self.staleNames(client, fixture.admin) == ["Board", "Live", "Live Board", "Quick"])
            let quick = try await client.call(.get, "/api/v1/freshness?stale=true", token: fixture.admin)
            let view = ((quick.object["items"] as? [[String: Any]]) ?? []).first { $0["itemName"] as? String == "Quick" }
            #expect(view?["staleReason"] as? String == "pipelineFailed")
            #expect((view?["pipelineFailure"] as? [String: Any])?["pipeline"] as? String == "nightly_orders")
            #expect(fixture.emulator.refreshCalls() == 0)

            let again = try await client.call(.post, "/api/v1/pipeline-events", token: etl, body: Self.body("e1", "failed"))
            #expect(again.status == .ok && again.object["repeated"] as? Bool == true)
            #expect(try await client.call(.post, "/api/v1/pipeline-events", token: etl, body: Self.body("e1", "succeeded")).status.code == 422)
            // Another pipeline's success does not clear this one's failure.
            _ = try await client.call(.post, "/api/v1/pipeline-events", token: etl, body: Self.body("e2", "succeeded", pipeline: "other"))
            #expect(try await Self.staleNames(client, fixture.admin) == ["Board", "Live", "Live Board", "Quick"])
            let cleared = try await client.call(.post, "/api/v1/pipeline-events", token: etl, body: Self.body("e3", "succeeded"))
            #expect(cleared.status == .ok)
            // Cleared of the pipeline's failure; never refreshed by Freshet, so still stale for that reason only.
            let after = try await client.call(.get, "/api/v1/freshness", token: fixture.admin)
            #expect(((after.object["items"] as? [[String: Any]]) ?? []).allSatisfy { $0["staleReason"] as? String == "neverSucceeded" })
            let audit = try await fixture.runtime.store.events(AuditQuery(action: "pipeline."))
            #expect(audit.map(\.action) == ["pipeline.succeeded", "pipeline.succeeded", "pipeline.failed"])
            #expect(fixture.emulator.refreshCalls() == 0)
            let listed = try await client.call(.get, "/api/v1/pipeline-events?connection=demo", token: fixture.admin)
            #expect((listed.object["events"] as? [[String: Any]])?.count == 3)
        }
    }

    @Test func theTokenMustBeAllowedEveryAffectedItemAndTheBodyIsChecked() async throws {
        try await RunFixture.test { fixture, client in
            let limited = try await fixture.token("quick-only", [.refresh], allow: TokenAllowList(connections: [GlobPattern("demo")], datasources: [GlobPattern("Quick")]))
            #expect(try await client.call(.post, "/api/v1/pipeline-events", token: limited, body: Self.body("e1", "failed")).status == .forbidden)
            #expect(try await Self.staleNames(client, fixture.admin).isEmpty)
            let reader = try await fixture.token("reader", [.read])
            #expect(try await client.call(.post, "/api/v1/pipeline-events", token: reader, body: Self.body("e1", "failed")).status == .forbidden)
            let bad = #"{"eventId": "e1", "connection": "demo", "pipeline": "p", "status": "broken", "tables": ["warehouse.public.orders"]}"#
            #expect(try await client.call(.post, "/api/v1/pipeline-events", token: fixture.admin, body: bad).status == .badRequest)
            let none = #"{"eventId": "e1", "connection": "demo", "pipeline": "p", "status": "failed"}"#
            #expect(try await client.call(.post, "/api/v1/pipeline-events", token: fixture.admin, body: none).status == .badRequest)
            let table = #"{"eventId": "e1", "connection": "demo", "pipeline": "p", "status": "failed", "tables": ["orders"]}"#
            #expect(try await client.call(.post, "/api/v1/pipeline-events", token: fixture.admin, body: table).status == .badRequest)
        }
    }
}
