import Foundation
import Freshet
import FreshetServer
import HTTPTypes
import HummingbirdTesting
import TableauClient
import Testing

/// Data quality warnings against the emulator over Tableau's REST API: a failed refresh puts
/// exactly one warning on the data source, a warning someone else set stays, a pipeline failure
/// warns everything downstream of its tables, and its success removes Freshet's warnings.
struct QualityWarningRoutesTests {
    @Test func warningsFollowFailuresOnAnOptedInConnection() async throws {
        try await RunFixture.test { fixture, client in
            let tableau = try await fixture.runtime.client(for: "demo")
            let broken = try #require(try await tableau.items(.datasource, named: "Broken").first).id
            let theirs = try await tableau.addQualityWarning(contentId: broken, type: "MAINTENANCE", message: "Vendor maintenance tonight")
            let reader = try await fixture.token("reader", [.read])
            let body = #"{"enabled": true}"#
            #expect(try await client.call(.put, "/api/v1/quality-warnings/connections/demo", token: reader, body: body).status == .forbidden)
            #expect(try await client.call(.put, "/api/v1/quality-warnings/connections/demo", token: fixture.admin, body: body).status == .ok)

            let etl = try await fixture.token("etl", [.refresh])
            let run = try await client.createRuns(runsBody(#"{"datasource": "Broken"}"#, extra: #""waitSeconds": 30"#), token: etl)
            #expect(run.runs.first?["state"] as? String == "failed")
            let reconciler = fixture.runtime.qualityWarnings()
            #expect(try await reconciler.reconcile().added == [broken])
            #expect(try await reconciler.reconcile().added.isEmpty)
            var warnings = try await tableau.qualityWarnings(contentId: broken)
            #expect(warnings.count == 2 && warnings.contains { $0.id == theirs.id })
            let ours = try #require(warnings.first { $0.id != theirs.id })
            #expect(ours.type == "STALE" && ours.message.hasPrefix("Stale data: the refresh of Broken failed at ") && ours.message.contains("Login failed for user 'etl'"))
            let listed = try await client.call(.get, "/api/v1/quality-warnings", token: reader)
            #expect(listed.object["connections"] as? [String] == ["demo"] && (listed.object["warnings"] as? [[String: Any]])?.first?["warningId"] as? String == ours.id)

            let failed = #"{"eventId": "p1", "connection": "demo", "pipeline": "nightly", "status": "failed", "reason": "load failed", "tables": ["warehouse.public.orders"]}"#
            #expect(try await client.call(.post, "/api/v1/pipeline-events", token: etl, body: failed).status == .ok)
            let pass = try await reconciler.reconcile()
            let quick = try #require(try await tableau.items(.datasource, named: "Quick").first).id
            let live = try #require(try await tableau.items(.datasource, named: "Live").first).id
            #expect(Set(pass.added) == [quick, live])
            let quickWarnings = try await tableau.qualityWarnings(contentId: quick).map(\.message)
            #expect(quickWarnings.count == 1 && quickWarnings[0].hasPrefix("Stale data: pipeline nightly failed at ") && quickWarnings[0].hasSuffix(" — load failed"))
            #expect(try await tableau.qualityWarnings(contentId: quick).count == 1)

            let succeeded = #"{"eventId": "p2", "connection": "demo", "pipeline": "nightly", "status": "succeeded", "tables": ["warehouse.public.orders"]}"#
            #expect(try await client.call(.post, "/api/v1/pipeline-events", token: etl, body: succeeded).status == .ok)
            #expect(Set(try await reconciler.reconcile().removed) == [quick, live])
            #expect(try await tableau.qualityWarnings(contentId: quick).isEmpty)
            warnings = try await tableau.qualityWarnings(contentId: broken)
            #expect(warnings.count == 2)  // Broken's refresh still failed; theirs untouched
        }
    }
}
