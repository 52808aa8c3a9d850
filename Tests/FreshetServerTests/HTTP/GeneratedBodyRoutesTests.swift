import Foundation
import Freshet
import FreshetServer
import HTTPTypes
import HummingbirdTesting
import Testing

/// The request bodies the server reads as openapi.yaml's generated types (alert routes, quality
/// warnings, pipeline events) refuse what the document refuses with a 400 naming the field, and
/// read what it allows.
struct GeneratedBodyRoutesTests {
    @Test func badBodiesAre400sNamingTheField() async throws {
        try await RunFixture.test { fixture, client in
            let admin = fixture.admin
            func refused(_ method: HTTPRequest.Method, _ path: String, _ body: String) async throws -> (field: String?, detail: String) {
                let answer = try await client.call(method, path, token: admin, body: body)
                #expect(answer.status == .badRequest, "\(path) \(body): \(answer.status)")
                return (answer.object["field"] as? String, answer.object["detail"] as? String ?? "")
            }
            let routes = "/api/v1/alerts/routes"
            var problem = try await refused(.post, routes, #"{"name":"r","format":"email","url":"https://h.example.com/x"}"#)
            #expect(problem.field == "format" && problem.detail.contains("invalid value \"email\"") && problem.detail.contains("openapi.yaml"), "\(problem)")
            problem = try await refused(.post, routes, #"{"name":"r","format":"webhook","url":"https://h.example.com/x","secrets":"0123456789abcdef"}"#)
            #expect(problem.field == "secrets" && problem.detail == "Unknown field \"secrets\".", "\(problem)")
            problem = try await refused(.post, routes, #"{"name":"r","format":"webhook"}"#)
            #expect(problem.field == "url" && problem.detail == "Field \"url\" is required.", "\(problem)")
            problem = try await refused(.post, routes, #"{"name":"r","format":"webhook","url":"https://h.example.com/x","kinds":null}"#)
            #expect(problem.field == "kinds", "\(problem)")

            let warnings = "/api/v1/quality-warnings/connections/demo"
            problem = try await refused(.put, warnings, #"{"enabled":"yes"}"#)
            #expect(problem.field == "enabled" && problem.detail == "Field \"enabled\" must be true or false.", "\(problem)")
            problem = try await refused(.put, warnings, #"{"enabled":true,"connection":"demo"}"#)
            #expect(problem.field == "connection", "\(problem)")

            let events = "/api/v1/pipeline-events"
            let event = #""eventId":"e1","connection":"demo","pipeline":"nightly""#
            problem = try await refused(.post, events, "{\(event),\"status\":\"broken\",\"tables\":[\"warehouse.public.orders\"]}")
            #expect(problem.field == "status" && problem.detail.contains("invalid value \"broken\""), "\(problem)")
            problem = try await refused(.post, events, "{\(event),\"status\":\"failed\",\"targets\":[{\"sheet\":\"Sales\"}]}")
            #expect(problem.field == "targets[0].sheet", "\(problem)")
            problem = try await refused(.post, events, "{\(event),\"status\":\"failed\",\"targets\":[{\"datasource\":\"Quick\",\"workbook\":\"Board\"}]}")
            #expect(problem.field == "targets[0]", "\(problem)")
            problem = try await refused(.post, events, "{\(event),\"status\":\"failed\",\"tables\":[\"warehouse.orders\"]}")
            #expect(problem.field == "tables[0]", "\(problem)")
            problem = try await refused(.post, events, "{\(event),\"status\":\"failed\"}")
            #expect(problem.field == "tables", "\(problem)")

            // And what the document allows is read.
            let added = try await client.call(.post, routes, token: admin, body: #"{"name":"r","format":"slack","url":"https://hooks.slack.com/x","kinds":["run.failed"]}"#)
            #expect(added.status == .created && (added.object["route"] as? [String: Any])?["format"] as? String == "slack")
            #expect(try await client.call(.put, warnings, token: admin, body: #"{"enabled":true}"#).object["enabled"] as? Bool == true)
            let recorded = try await client.call(.post, events, token: admin, body: "{\(event),\"status\":\"failed\",\"targets\":[{\"datasource\":\"Quick\"}]}")
            #expect(recorded.status == .ok && (recorded.object["event"] as? [String: Any])?["status"] as? String == "failed", "\(recorded.object)")
            // dbt's artifacts are free-form JSON with nulls in them (schemathesis found them refused).
            let results =
                #"{"results":[{"unique_id":"model.shop.orders","status":"success","relation_name":"\"warehouse\".\"public\".\"orders\"","message":null},[null]],"metadata":{"invocation_id":null}}"#
            let dbt =
                "{\(event.replacingOccurrences(of: "e1", with: "e2")),\"status\":\"failed\",\"targets\":[{\"dbt\":{\"runResults\":\(results),\"manifest\":{\"nodes\":null}}}]}"
            let fromDbt = try await client.call(.post, events, token: admin, body: dbt)
            #expect(fromDbt.status == .ok, "\(fromDbt.object)")
            #expect(try await fixture.runtime.store.pipelineEvents(connectionId: nil, limit: 10).map(\.eventId).sorted() == ["e1", "e2"])
            problem = try await refused(.post, events, "{\(event),\"status\":\"failed\",\"reason\":null,\"tables\":[\"warehouse.public.orders\"]}")
            #expect(problem.field == "reason" && problem.detail.contains("must not be null"), "\(problem)")
        }
    }
}
