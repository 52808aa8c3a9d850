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

    /// RFC 3339 allows offsets up to ±23:59; Foundation's parser stops at ±18 hours
    /// (schemathesis found `since=…-21:41` refused).
    @Test func everyRFC3339OffsetIsADate() async throws {
        try await HTTPFixture.test { fixture, client in
            try await fixture.runtime.store.append(AuditEvent(actor: "cli:ann", action: "connection.edited", target: "t", outcome: "success"))
            for (since, count) in [("2000-01-01T00:00:00-21:41", 1), ("2000-01-01T00:00:00.5%2B23:59", 1), ("2999-01-01T00:00:00-21:41", 0)] {
                let response = try await client.call(.get, "/api/v1/audit?action=connection.edited&since=\(since)", token: fixture.adminToken)
                #expect(response.status == .ok, "\(since): \(response.text)")
                #expect((response.object["events"] as? [Any])?.count == count, "\(since)")
            }
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
