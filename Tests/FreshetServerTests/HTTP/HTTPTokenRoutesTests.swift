import Foundation
import Freshet
import FreshetServer
import Hummingbird
import HummingbirdTesting
import Testing

@Suite struct HTTPTokenRoutesTests {
    @Test func createShowsTheTokenOnceThenListAndRevoke() async throws {
        try await HTTPFixture.test { fixture, client in
            let body = #"{"name":"airflow","scopes":["refresh","read"],"allowList":{"connections":["prod"],"projects":["Fin*"]},"expiresIn":"30d"}"#
            let created = try await client.call(.post, "/api/v1/tokens", token: fixture.adminToken, body: body)
            #expect(created.status == .created)
            #expect(created.headers[.cacheControl] == "no-store")
            let secret = try #require(created.object["token"] as? String)
            #expect(secret.hasPrefix("fsh_"))
            #expect(created.object["scopes"] as? [String] == ["read", "refresh"])
            #expect(created.object["expiresAt"] is String)
            #expect((created.object["allowList"] as? [String: Any])?["projects"] as? [String] == ["Fin*"])

            #expect(try await client.call(.get, "/api/v1/connections", token: secret).status == .ok)
            let listed = try await client.call(.get, "/api/v1/tokens", token: fixture.adminToken)
            #expect(!listed.text.contains(secret) && !listed.text.contains(TokenSecret.hash(secret)))
            #expect((listed.object["tokens"] as? [[String: Any]])?.compactMap { $0["name"] as? String } == ["admin", "airflow"])

            let revoked = try await client.call(.delete, "/api/v1/tokens/airflow", token: fixture.adminToken)
            #expect(revoked.status == .ok && revoked.object["revokedAt"] is String)
            #expect(try await client.call(.get, "/api/v1/connections", token: secret).status == .unauthorized)
            #expect(try await client.call(.delete, "/api/v1/tokens/nobody", token: fixture.adminToken).status == .notFound)
            let audit = try await fixture.runtime.store.events(AuditQuery(action: "token."))
            #expect(audit.map(\.action) == ["token.revoked", "token.created", "token.created"])
            #expect(!audit.description.contains(secret))
        }
    }

    @Test func badTokenRequests() async throws {
        try await HTTPFixture.test { fixture, client in
            let unknownScope = try await client.call(.post, "/api/v1/tokens", token: fixture.adminToken, body: #"{"name":"x","scopes":["read","root"]}"#)
            #expect(unknownScope.status == .badRequest && unknownScope.object["field"] as? String == "scopes[1]")
            let badExpiry = try await client.call(.post, "/api/v1/tokens", token: fixture.adminToken, body: #"{"name":"x","scopes":["read"],"expiresIn":"soon"}"#)
            #expect(badExpiry.object["field"] as? String == "expiresIn")
            let noScope = try await client.call(.post, "/api/v1/tokens", token: fixture.adminToken, body: #"{"name":"x"}"#)
            #expect(noScope.status == .unprocessableContent && noScope.object["field"] as? String == "scopes")
            let duplicate = try await client.call(.post, "/api/v1/tokens", token: fixture.adminToken, body: #"{"name":"admin","admin":true}"#)
            #expect(duplicate.status == .unprocessableContent && duplicate.object["field"] as? String == "name")
        }
    }
}
