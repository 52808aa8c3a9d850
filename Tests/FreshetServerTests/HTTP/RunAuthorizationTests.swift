import Foundation
import Freshet
import FreshetServer
import HTTPTypes
import HummingbirdTesting
import TableauEmulator
import Testing

/// Scopes and allow-lists on the runs routes: every refusal is a 403 problem, audited as
/// "api.denied", and stores no run.
@Suite struct RunAuthorizationTests {
    static let financeOnly = TokenAllowList(connections: [GlobPattern("demo")], projects: [GlobPattern("Finance")])

    @Test func aTokenAllowedOnlyOnFinanceCannotRefreshSales() async throws {
        try await RunFixture.test { fixture, client in
            let token = try await fixture.token("finance", [.refresh], allow: Self.financeOnly)
            let refused = try await client.createRuns(runsBody(#"{"datasource": "Finance/Twin"}, {"datasource": "Quick"}"#), token: token)
            #expect(refused.status == .forbidden && refused.isProblem, "\(refused.text)")
            let detail = try #require(refused.object["detail"] as? String)
            #expect(detail.contains("\"Quick\"") && !detail.contains("Twin"), "\(detail)")
            #expect(try await fixture.runtime.store.runs(RunQuery()).isEmpty, "nothing is stored when any item is refused")
            let denials = try await fixture.denials("finance")
            #expect(denials.count == 1 && denials.first?.target.contains("Quick") == true)
            #expect(denials.first?.details["path"] == "/api/v1/runs")

            let allowed = try await client.createRuns(runsBody(#"{"project": "Finance"}"#, extra: #""waitSeconds": 30"#), token: token)
            #expect(allowed.status == .ok, "\(allowed.text)")
            #expect(Set(allowed.runs.compactMap { $0["itemName"] as? String }) == ["Broken", "Twin", "Board"])
        }
    }

    @Test func anItemAllowListAllowsThatItemOnly() async throws {
        try await RunFixture.test { fixture, client in
            let allow = TokenAllowList(connections: [GlobPattern("*")], datasources: [GlobPattern("Qu*")])
            let token = try await fixture.token("quick", [.refresh], allow: allow)
            #expect(try await client.createRuns(runsBody(#"{"datasource": "Quick"}"#), token: token).status == .accepted)
            let board = try await client.createRuns(runsBody(#"{"workbook": "Board"}"#), token: token)
            #expect(board.status == .forbidden && (board.object["detail"] as? String)?.contains("workbook \"Board\"") == true)
        }
    }

    @Test func aConnectionOutsideTheAllowListIsRefusedBeforeAskingTableau() async throws {
        try await RunFixture.test { fixture, client in
            let allow = TokenAllowList(connections: [GlobPattern("prod")], projects: [GlobPattern("*")])
            let token = try await fixture.token("prod-only", [.refresh], allow: allow)
            let calls = fixture.emulator.state.recordedRequests().count
            let refused = try await client.createRuns(runsBody(#"{"datasource": "Nope"}"#), token: token)
            #expect(refused.status == .forbidden, "\(refused.text)")
            #expect((refused.object["detail"] as? String)?.contains("connection \"demo\"") == true)
            #expect(fixture.emulator.state.recordedRequests().count == calls, "no name is resolved (nor leaked) for a refused connection")
            #expect(try await fixture.denials("prod-only").count == 1)
        }
    }

    @Test func scopesOfEveryRunsRoute() async throws {
        try await RunFixture.test { fixture, client in
            let reader = try await fixture.token("reader", [.read])
            let auditor = try await fixture.token("auditor", [.auditRead])
            let refresher = try await fixture.token("refresher", [.refresh])
            let created = try await client.createRuns(runsBody(#"{"datasource": "Quick"}"#, extra: #""waitSeconds": 30"#), token: refresher)
            let id = try #require(created.runIds.first)

            let write = try await client.createRuns(runsBody(#"{"datasource": "Quick"}"#), token: reader)
            #expect(write.status == .forbidden && write.object["missingScope"] as? String == "refresh")
            let cancel = try await client.call(.post, "/api/v1/runs/\(id)/cancel", token: reader)
            #expect(cancel.status == .forbidden && cancel.object["missingScope"] as? String == "refresh")
            let cancelUnknown = try await client.call(.post, "/api/v1/runs/unknown/cancel", token: reader)
            #expect(cancelUnknown.status == .forbidden)
            #expect(try await fixture.denials("reader").count == 3)

            for path in ["/api/v1/runs", "/api/v1/runs/\(id)"] {
                #expect(try await client.call(.get, path, token: reader).status == .ok)
                #expect(try await client.call(.get, path, token: refresher).status == .ok)
                let refused = try await client.call(.get, path, token: auditor)
                #expect(refused.status == .forbidden && refused.object["missingScope"] as? String == "read", "\(path)")
                #expect(try await client.call(.get, path).status == .unauthorized)
            }
            #expect(try await fixture.denials("auditor").count == 2)
        }
    }

    @Test func cancellingNeedsTheRunsItemInTheAllowList() async throws {
        try await RunFixture.test { fixture, client in
            let stuck = try await client.createRuns(runsBody(#"{"datasource": "Stuck"}"#), token: fixture.admin)
            let stuckId = try #require(stuck.runIds.first)
            let finance = try await fixture.token("finance", [.refresh], allow: Self.financeOnly)
            let refused = try await client.call(.post, "/api/v1/runs/\(stuckId)/cancel", token: finance)
            #expect(refused.status == .forbidden && (refused.object["detail"] as? String)?.contains("\"Stuck\"") == true)
            #expect(try await fixture.denials("finance").first?.target.contains("Stuck") == true)
            #expect(try await fixture.runtime.store.run(id: stuckId)?.cancelRequested == false)

            // A run of an item in Finance: allowed through its project (looked up in Tableau).
            let twin = try await client.createRuns(runsBody(#"{"datasource": "Finance/Twin"}"#), token: fixture.admin)
            let twinCancel = try await client.call(.post, "/api/v1/runs/\(try #require(twin.runIds.first))/cancel", token: finance)
            #expect([200, 202].contains(twinCancel.status.code), "\(twinCancel.text)")

            let cancelled = try await client.call(.post, "/api/v1/runs/\(stuckId)/cancel", token: fixture.admin)
            #expect([200, 202].contains(cancelled.status.code) && cancelled.object["cancelRequested"] as? Bool == true, "\(cancelled.text)")
            let ended = try await client.call(.get, "/api/v1/runs/\(stuckId)?waitSeconds=30", token: fixture.admin)
            #expect(ended.object["state"] as? String == "cancelled", "\(ended.text)")
            let again = try await client.call(.post, "/api/v1/runs/\(stuckId)/cancel", token: fixture.admin)
            #expect(again.status == .ok && again.object["state"] as? String == "cancelled")
        }
    }
}
