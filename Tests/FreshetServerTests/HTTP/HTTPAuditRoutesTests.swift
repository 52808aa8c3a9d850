import Foundation
import Freshet
import FreshetServer
import Hummingbird
import HummingbirdTesting
import Testing

@Suite struct HTTPAuditRoutesTests {
    @Test func pagesWithACursorAndFilters() async throws {
        try await HTTPFixture.test { fixture, client in
            for index in 0..<7 {
                try await fixture.runtime.store.append(
                    AuditEvent(actor: "cli:ann", action: index % 2 == 0 ? "connection.edited" : "tableau.signin", target: "prod-\(index)", outcome: "success"))
            }
            let token = try await fixture.token("auditor", [.auditRead])
            var targets: [String] = []
            var uri = "/api/v1/audit?actor=cli:ann&limit=3"
            var pages = 0
            while true {
                let page = try await client.call(.get, uri, token: token)
                #expect(page.status == .ok)
                let events = try #require(page.object["events"] as? [[String: Any]])
                targets += events.compactMap { $0["target"] as? String }
                pages += 1
                guard let cursor = page.object["nextCursor"] as? String else { break }
                uri = "/api/v1/audit?actor=cli:ann&limit=3&cursor=\(cursor)"
            }
            #expect(pages == 3)
            #expect(targets == (0..<7).reversed().map { "prod-\($0)" })
            let edits = try await client.call(.get, "/api/v1/audit?action=connection.&actor=cli:ann", token: token)
            #expect((edits.object["events"] as? [Any])?.count == 4)
            #expect(edits.object["nextCursor"] is NSNull || edits.object["nextCursor"] == nil)
        }
    }

    @Test func badQueryParametersNameTheParameter() async throws {
        try await HTTPFixture.test { fixture, client in
            for (query, field) in [("limit=0", "limit"), ("limit=abc", "limit"), ("since=yesterday", "since"), ("cursor=zzz", "cursor"), ("colour=red", "colour"), ("outcome=maybe", "outcome")] {
                let response = try await client.call(.get, "/api/v1/audit?\(query)", token: fixture.adminToken)
                #expect(response.status == .badRequest, "\(query)")
                #expect(response.object["field"] as? String == field, "\(query)")
            }
        }
    }
}
