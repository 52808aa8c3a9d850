import Foundation
import Freshet
import FreshetServer
import HTTPTypes
import HummingbirdTesting
import Testing

/// Reading runs: `read` reads every run; a token with only `refresh` reads the runs of content
/// in its allow-list (by the project each run had when accepted) and nothing else — one run is
/// a 403 naming it (audited), a listing leaves the others out, a repeated key of runs it may not
/// read is refused.
@Suite struct RunReadAuthorizationTests {
    @Test func aRefreshTokenReadsOnlyTheRunsItsAllowListCovers() async throws {
        try await RunFixture.test { fixture, client in
            let created = try await client.createRuns(
                runsBody(#"{"datasource": "Quick"}, {"datasource": "Finance/Twin"}"#, extra: #""waitSeconds": 30"#), token: fixture.admin,
                idempotencyKey: "both")
            #expect(created.status == .ok, "\(created.text)")
            let byName = Dictionary(uniqueKeysWithValues: created.runs.map { ($0["itemName"] as? String ?? "", $0) })
            let quick = try #require(byName["Quick"]?["id"] as? String)
            let twin = try #require(byName["Twin"]?["id"] as? String)
            #expect(byName["Twin"]?["project"] as? String == "Finance" && byName["Quick"]?["project"] as? String == "Default")

            let finance = try await fixture.token("finance", [.refresh], allow: RunAuthorizationTests.financeOnly)
            // Twice each: the second answer of an ended run comes from memory and is checked all the same.
            for _ in 0..<2 {
                let own = try await client.call(.get, "/api/v1/runs/\(twin)", token: finance)
                #expect(own.status == .ok && own.object["itemName"] as? String == "Twin", "\(own.text)")
                let other = try await client.call(.get, "/api/v1/runs/\(quick)", token: finance)
                #expect(other.status == .forbidden && other.isProblem, "\(other.text)")
                #expect((other.object["detail"] as? String)?.contains("data source \"Quick\"") == true, "\(other.text)")
            }
            #expect(try await fixture.denials("finance").count == 2)
            let listed = try await client.call(.get, "/api/v1/runs", token: finance)
            #expect(listed.status == .ok && listed.runIds == [twin], "\(listed.text)")
            // The same key, asked by a token that may not read one of its runs.
            for _ in 0..<2 {
                let repeated = try await client.createRuns(
                    runsBody(#"{"datasource": "Quick"}, {"datasource": "Finance/Twin"}"#), token: finance, idempotencyKey: "both")
                #expect(repeated.status == .forbidden && !repeated.text.contains(quick), "\(repeated.text)")
            }

            let reader = try await fixture.token("reader", [.read])
            #expect(try await client.call(.get, "/api/v1/runs/\(quick)", token: reader).status == .ok)
            #expect(Set(try await client.call(.get, "/api/v1/runs", token: reader).runIds) == [quick, twin])
            let neither = try await fixture.token("audit", [.auditRead])
            let refused = try await client.call(.get, "/api/v1/runs/\(quick)", token: neither)
            #expect(refused.status == .forbidden && refused.object["missingScope"] as? String == "read", "\(refused.text)")
        }
    }

    @Test func aRunWithoutAKnownProjectIsReadUnderAnyProjectPatternOnly() async throws {
        try await RunFixture.test { fixture, client in
            let connection = try #require(try await fixture.runtime.store.connection(named: "demo")).connection
            // As stored before Freshet kept projects.
            let old = Run(
                connectionId: connection.id, target: "datasource Twin", item: RunItem(contentType: .datasource, tableauId: "ds-old", name: "Twin"),
                actor: "cli:ana", createdAt: Date())
            _ = try await fixture.runtime.store.create(old, joiningActive: false)
            let anyProject = try await fixture.token(
                "any", [.refresh], allow: TokenAllowList(connections: [GlobPattern("demo")], projects: [GlobPattern("*")]))
            let finance = try await fixture.token("finance", [.refresh], allow: RunAuthorizationTests.financeOnly)
            #expect(try await client.call(.get, "/api/v1/runs/\(old.id)", token: anyProject).status == .ok)
            #expect(try await client.call(.get, "/api/v1/runs/\(old.id)", token: finance).status == .forbidden)
        }
    }
}
