import Foundation
import Freshet
import FreshetServer
import Testing
import TableauEmulator

/// Any REST call through the connection's session: versioned and versionless, audited without the body.
@Suite struct PassThroughTests {
    func withDemo<T: Sendable>(_ body: @Sendable (RunningEmulator, FreshetRuntime) async throws -> T) async throws -> T {
        let data = DemoDataDirectory()
        defer { data.remove() }
        return try await withEmulator(seed: try DemoSeed.seed()) { emulator in
            try await body(emulator, try await data.addDemoConnection(emulator))
        }
    }

    static func json(_ response: PassThroughResponse) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any])
    }

    @Test func aVersionedPathWithTheSiteAndQuery() async throws {
        try await withDemo { _, runtime in
            let request = try PassThroughRequest(method: "get", path: "/api/3.24/sites/{site}/users?pageSize=2", query: [QueryItem(name: "pageNumber", value: "2")])
            let response = try await runtime.passThrough(connection: "demo", request: request, actor: "token:ops")
            #expect(response.status == 200 && response.contentType?.contains("json") == true)
            let body = try Self.json(response)
            let pagination = try #require(body["pagination"] as? [String: Any])
            #expect("\(pagination["pageNumber"] ?? "")" == "2" && "\(pagination["totalAvailable"] ?? "")" == "4")

            let relative = try await runtime.passThrough(connection: "demo", request: try PassThroughRequest(method: "GET", path: "sessions/current"), actor: "t")
            #expect(relative.text.contains("admin@example.com"))

            let audit = try #require(try await runtime.store.events(AuditQuery(action: "tableau.passthrough")).last)
            #expect(audit.actor == "token:ops" && audit.details["method"] == "GET" && audit.details["path"] == "/api/3.24/sites/{site}/users")
            #expect(audit.details["status"] == "200" && audit.outcome == "success")
        }
    }

    @Test func aVersionlessPathAndABodyThatIsNeverAudited() async throws {
        try await withDemo { _, runtime in
            let search = try await runtime.passThrough(
                connection: "demo", request: try PassThroughRequest(method: "GET", path: "/api/-/search", query: [QueryItem(name: "terms", value: "sales")]), actor: "t"
            )
            let hits = try #require(try Self.json(search)["hits"] as? [String: Any])
            #expect((hits["total"] as? Int ?? 0) >= 1)

            let user = try await runtime.user(connection: "demo", identity: "viewer@example.com", actor: "t")
            let body = Array(#"{"user":{"siteRole":"Explorer","fullName":"secret-free-marker"}}"#.utf8)
            let put = try await runtime.passThrough(
                connection: "demo", request: try PassThroughRequest(method: "PUT", path: "sites/{site}/users/\(user.id)", body: body), actor: "t"
            )
            #expect(put.status == 200 && put.text.contains("Explorer"))
            let events = try await runtime.store.events(AuditQuery(action: "tableau.passthrough"))
            #expect(events.count == 2 && !events.description.contains("secret-free-marker"))
        }
    }

    @Test func tableauErrorsComeBackInTableausWordsAndAreAudited() async throws {
        try await withDemo { _, runtime in
            do {
                _ = try await runtime.passThrough(
                    connection: "demo", request: try PassThroughRequest(method: "GET", path: "sites/{site}/users/00000000-0000-0000-0000-000000000000"), actor: "t"
                )
                Issue.record("expected 404")
            } catch let AccessError.tableau(error) {
                #expect(error.status == 404 && error.code == "404002" && !error.isUnreachable)
            }
            let audit = try #require(try await runtime.store.events(AuditQuery(action: "tableau.passthrough")).first)
            #expect(audit.outcome == "failure" && audit.details["status"] == "404")
        }
    }
}
