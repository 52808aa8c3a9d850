import Foundation
import Freshet
import FreshetServer
import Hummingbird
import HummingbirdTesting
import Testing

@Suite struct HTTPProblemTests {
    func expectProblem(_ response: TestResponse, _ status: Int, field: String? = nil, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(response.status.code == status, sourceLocation: sourceLocation)
        #expect(response.isProblem, "content type \(response.headers[.contentType] ?? "-")", sourceLocation: sourceLocation)
        let object = response.object
        #expect(object["status"] as? Int == status, sourceLocation: sourceLocation)
        #expect((object["type"] as? String)?.hasPrefix("urn:freshet:problem:") == true, sourceLocation: sourceLocation)
        #expect(object["title"] is String && object["detail"] is String, sourceLocation: sourceLocation)
        if let field { #expect(object["field"] as? String == field, "\(object)", sourceLocation: sourceLocation) }
    }

    @Test func unknownRoutesAndMethods() async throws {
        try await HTTPFixture.test { fixture, client in
            expectProblem(try await client.call(.get, "/api/v1/nothing", token: fixture.adminToken), 404)
            expectProblem(try await client.call(.get, "/nothing"), 404)
            let wrongMethod = try await client.call(.put, "/api/v1/connections", token: fixture.adminToken)
            expectProblem(wrongMethod, 405)
            #expect(wrongMethod.headers[.allow] == "GET, POST")
            let deleteAudit = try await client.call(.delete, "/api/v1/audit", token: fixture.adminToken)
            expectProblem(deleteAudit, 405)
            #expect(deleteAudit.headers[.allow] == "GET")
        }
    }

    @Test func missingOrInvalidTokensAre401() async throws {
        try await HTTPFixture.test { fixture, client in
            let missing = try await client.call(.get, "/api/v1/connections")
            expectProblem(missing, 401)
            #expect(missing.headers[.wwwAuthenticate]?.hasPrefix("Bearer") == true)
            expectProblem(try await client.call(.get, "/api/v1/connections", token: "fsh_guess"), 401)
            var headers = HTTPFields()
            headers[.authorization] = "Basic \(fixture.adminToken)"
            let basic = try await client.checkedExecute(uri: "/api/v1/connections", method: .get, headers: headers)
            expectProblem(basic, 401)
            #expect(!basic.text.contains(fixture.adminToken))
            let revoked = try await fixture.token("gone", [.read])
            try await fixture.runtime.tokens.revoke("gone", actor: "test")
            let refused = try await client.call(.get, "/api/v1/connections", token: revoked)
            expectProblem(refused, 401)
            #expect((refused.object["detail"] as? String)?.contains("revoked") == true)
        }
    }

    @Test func badBodiesNameTheField() async throws {
        try await HTTPFixture.test { fixture, client in
            let token = fixture.adminToken
            expectProblem(try await client.call(.post, "/api/v1/connections", token: token, body: "{\"name\": "), 400)
            expectProblem(try await client.call(.post, "/api/v1/connections", token: token, body: "[1]"), 400)
            expectProblem(try await client.call(.post, "/api/v1/connections", token: token, body: ""), 400)
            expectProblem(
                try await client.call(.post, "/api/v1/connections", token: token, body: #"{"name":"a","serverURL":"x"}"#), 400, field: "serverURL")
            expectProblem(
                try await client.call(.post, "/api/v1/connections", token: token, body: #"{"name":"a","connectedApp":{"clientID":"x"}}"#), 400,
                field: "connectedApp.clientID")
            expectProblem(try await client.call(.post, "/api/v1/connections", token: token, body: #"{"name":5}"#), 400, field: "name")
            expectProblem(try await client.call(.post, "/api/v1/connections", token: token, body: #"{"serverUrl":"x"}"#), 400, field: "name")
            expectProblem(
                try await client.call(.post, "/api/v1/connections", token: token, body: #"{"name":"a","allowInsecureHttp":"yes"}"#), 400,
                field: "allowInsecureHttp")
            expectProblem(
                try await client.call(.post, "/api/v1/tokens", token: token, body: #"{"name":"a","scopes":["read",7]}"#), 400, field: "scopes[1]")
            expectProblem(try await client.call(.post, "/api/v1/connections", token: token, body: "name=a", contentType: "text/plain"), 415)
        }
    }

    @Test func aWrongTypeNeverEchoesTheValue() async throws {
        try await HTTPFixture.test { fixture, client in
            let body = #"{"name":"a","serverUrl":"https://x","patName":"p","patSecret":["s3cr3t-value-zz"]}"#
            let response = try await client.call(.post, "/api/v1/connections", token: fixture.adminToken, body: body)
            expectProblem(response, 400, field: "patSecret")
            #expect(!response.text.contains("s3cr3t"))
        }
    }

    @Test func oversizedBodiesAre413() async throws {
        try await HTTPFixture.test { fixture, client in
            let padding = String(repeating: "x", count: FreshetRequestContext.bodyLimit + 10)
            let response = try await client.call(.post, "/api/v1/connections", token: fixture.adminToken, body: #"{"name":"\#(padding)"}"#)
            expectProblem(response, 413)
        }
    }

    @Test func validationErrorsAre422WithDesignMessages() async throws {
        try await HTTPFixture.test { fixture, client in
            let response = try await client.call(.post, "/api/v1/connections", token: fixture.adminToken, body: #"{"name":"a","patName":"p","patSecret":"s"}"#)
            expectProblem(response, 422)
            #expect(response.object["detail"] as? String == "Server URL is required")
            let noSecret = try await client.call(
                .post, "/api/v1/connections", token: fixture.adminToken, body: #"{"name":"a","serverUrl":"tableau.example.com","patName":"p"}"#)
            #expect(noSecret.object["detail"] as? String == "Personal Access Token secret is required")
            #expect(noSecret.object["field"] as? String == "patSecret")
        }
    }
}
