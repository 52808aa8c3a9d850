import Foundation
import Freshet
import FreshetServer
import Hummingbird
import HummingbirdTesting
import Testing

@Suite struct HTTPConnectionRoutesTests {
    @Test func createListGetByNameOrIdAndDelete() async throws {
        try await HTTPFixture.test { fixture, client in
            let token = fixture.adminToken
            let body = #"{"name":"prod","serverUrl":"https://tableau.example.com/","siteContentUrl":"marketing","patName":"freshet","patSecret":"abcdefgh-secret-9876"}"#
            let created = try await client.call(.post, "/api/v1/connections", token: token, body: body)
            #expect(created.status == .created)
            #expect(!created.text.contains("abcdefgh-secret"))
            let id = try #require(created.object["id"] as? String)
            #expect(created.headers[.location] == "/api/v1/connections/\(id)")
            #expect(created.object["secretMasked"] as? String == "••••••••9876")
            #expect(created.object["serverURL"] as? String == "https://tableau.example.com")
            #expect(created.object["patName"] as? String == "freshet")
            #expect(try await client.call(.post, "/api/v1/connections", token: token, body: body).status == .conflict)

            let list = try await client.call(.get, "/api/v1/connections", token: token)
            #expect((list.object["connections"] as? [[String: Any]])?.map { $0["name"] as? String } == ["prod"])
            #expect(try await client.call(.get, "/api/v1/connections/prod", token: token).object["id"] as? String == id)
            #expect(try await client.call(.get, "/api/v1/connections/\(id)", token: token).object["name"] as? String == "prod")

            #expect(try await client.call(.delete, "/api/v1/connections/prod", token: token).status == .noContent)
            #expect(try await client.call(.get, "/api/v1/connections/prod", token: token).status == .notFound)
            #expect(try await client.call(.delete, "/api/v1/connections/prod", token: token).status == .notFound)
            let audit = try await fixture.runtime.store.events(AuditQuery(action: "connection."))
            #expect(audit.map(\.action) == ["connection.removed", "connection.created"])
            #expect(audit.allSatisfy { $0.actor == "token:admin" })
        }
    }

    @Test func editHasTheCLISemantics() async throws {
        try await HTTPFixture.test { fixture, client in
            let token = fixture.adminToken
            let original = try await fixture.addConnection("prod", secret: "first-secret-1111")
            // Blank server and PAT name keep the stored values; no secret keeps the secret; absent site keeps the site.
            let kept = try await client.call(.patch, "/api/v1/connections/prod", token: token, body: #"{"serverUrl":"  ","patName":""}"#)
            #expect(kept.status == .ok)
            #expect(kept.object["serverURL"] as? String == original.serverURL)
            #expect(kept.object["patName"] as? String == "freshet-pat")
            #expect(kept.object["siteContentUrl"] as? String == "finance")
            #expect(kept.object["secretMasked"] as? String == "••••••••1111")
            // An empty site switches to the Default site, and the display name follows; a new secret replaces the old.
            let edited = try await client.call(
                .patch, "/api/v1/connections/\(original.id)", token: token, body: #"{"siteContentUrl":"","patSecret":"second-secret-2222"}"#)
            #expect(edited.object["siteContentUrl"] as? String == "")
            #expect((edited.object["displayName"] as? String)?.hasSuffix("Default site") == true)
            #expect(edited.object["secretMasked"] as? String == "••••••••2222")
            #expect(!edited.text.contains("second-secret"))
            let unknown = try await client.call(.patch, "/api/v1/connections/prod", token: token, body: #"{"name":"renamed"}"#)
            #expect(unknown.status == .badRequest && unknown.object["field"] as? String == "name")
            let fields = try await fixture.runtime.store.events(AuditQuery(action: "connection.edited")).first?.details["fields"]
            #expect(fields == "siteContentUrl,patSecret")
        }
    }
}
