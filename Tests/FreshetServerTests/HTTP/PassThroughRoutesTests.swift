import Foundation
import Freshet
import FreshetServer
import Hummingbird
import HummingbirdTesting
import Testing

/// `POST /api/v1/connections/{connection}/tableau`: versioned, relative and versionless paths,
/// Tableau's answer carried back, refusals, and the audit trail (method and path only).
@Suite struct PassThroughRoutesTests {
    typealias F = AccessHTTPFixture

    @Test func aVersionedPathWithQueryComesBackAsJSON() async throws {
        try await F.test { fixture, client in
            let token = try await fixture.token("ops", [.tableauPassthrough])
            let response = try await client.call(
                .post, "/api/v1/connections/demo/tableau", token: token,
                body: #"{"method":"GET","path":"/api/3.24/sites/{site}/users","query":{"pageSize":"2","pageNumber":"2"}}"#)
            #expect(response.status == .ok, "\(response.text)")
            #expect(response.object["status"] as? Int == 200 && (response.object["contentType"] as? String)?.contains("json") == true)
            let pagination = try #require((response.object["body"] as? [String: Any])?["pagination"] as? [String: Any])
            #expect("\(pagination["pageNumber"] ?? "")" == "2" && "\(pagination["totalAvailable"] ?? "")" == "4")
            let audit = try #require(try await fixture.runtime.store.events(AuditQuery(action: "tableau.passthrough")).first)
            #expect(audit.actor == "token:ops" && audit.details["method"] == "GET" && audit.details["path"] == "/api/3.24/sites/{site}/users")
        }
    }

    @Test func aVersionlessPathAndAJSONBody() async throws {
        try await F.test { fixture, client in
            let token = try await fixture.token("ops", [.tableauPassthrough])
            let search = try await client.call(
                .post, "/api/v1/connections/demo/tableau", token: token, body: #"{"method":"GET","path":"/api/-/search","query":{"terms":"sales"}}"#)
            #expect(search.status == .ok && ((search.object["body"] as? [String: Any])?["hits"] as? [String: Any]) != nil, "\(search.text)")
            let user = try await fixture.runtime.user(connection: "demo", identity: "viewer@example.com", actor: "t")
            let put = try await client.call(
                .post, "/api/v1/connections/demo/tableau", token: token,
                body: #"{"method":"PUT","path":"sites/{site}/users/\#(user.id)","body":{"user":{"siteRole":"Explorer","fullName":"marker-not-audited"}}}"#)
            #expect(put.status == .ok && put.object["status"] as? Int == 200 && put.text.contains("Explorer"), "\(put.text)")
            let audit = try await fixture.runtime.store.events(AuditQuery(action: "tableau.passthrough"))
            #expect(audit.count == 2 && !audit.description.contains("marker-not-audited") && !audit.description.contains("sales"))
        }
    }

    @Test func tableauErrorsAre502WithTableausStatusAndWords() async throws {
        try await F.test { fixture, client in
            let token = try await fixture.token("ops", [.tableauPassthrough])
            let missing = try await client.call(
                .post, "/api/v1/connections/demo/tableau", token: token,
                body: #"{"method":"GET","path":"sites/{site}/users/00000000-0000-0000-0000-000000000000"}"#)
            #expect(missing.status == .badGateway && missing.isProblem, "\(missing.text)")
            let tableau = try #require(missing.object["tableau"] as? [String: Any])
            #expect(tableau["httpStatus"] as? Int == 404 && tableau["code"] as? String == "404002")
            let audit = try #require(try await fixture.runtime.store.events(AuditQuery(action: "tableau.passthrough")).first)
            #expect(audit.details["status"] == "404")
        }
    }

    @Test func refusedRequestsAre422Or400() async throws {
        try await F.test { fixture, client in
            let token = try await fixture.token("ops", [.tableauPassthrough])
            let signIn = try await client.call(.post, "/api/v1/connections/demo/tableau", token: token, body: #"{"method":"POST","path":"/api/3.24/auth/signin"}"#)
            #expect(signIn.status == .unprocessableContent && signIn.object["field"] as? String == "path")
            let url = try await client.call(.post, "/api/v1/connections/demo/tableau", token: token, body: #"{"method":"GET","path":"https://evil.example.com/api/-/search"}"#)
            #expect(url.status == .unprocessableContent)
            let method = try await client.call(.post, "/api/v1/connections/demo/tableau", token: token, body: #"{"method":"TRACE","path":"serverinfo"}"#)
            #expect(method.status == .unprocessableContent && method.object["field"] as? String == "method")
            let unknown = try await client.call(.post, "/api/v1/connections/demo/tableau", token: token, body: #"{"method":"GET","path":"serverinfo","headers":{}}"#)
            #expect(unknown.status == .badRequest && unknown.object["field"] as? String == "headers")
            let query = try await client.call(.post, "/api/v1/connections/demo/tableau", token: token, body: #"{"method":"GET","path":"serverinfo","query":{"a":1}}"#)
            #expect(query.status == .badRequest && query.object["field"] as? String == "query.a")
            #expect(try await client.call(.post, "/api/v1/connections/nope/tableau", token: token, body: #"{"method":"GET","path":"serverinfo"}"#).status == .notFound)
            #expect(try await fixture.runtime.store.events(AuditQuery(action: "tableau.passthrough")).isEmpty)
        }
    }
}
