import Foundation
import Freshet
import FreshetServer
import HTTPTypes
import HummingbirdTesting
import Testing

/// `POST /api/v1/runs`, `GET /api/v1/runs/{run}` and `GET /api/v1/runs` in process, against
/// the emulator: waiting, long-polls, joins, idempotency, resolution errors, listing.
@Suite struct RunRoutesTests {
    @Test func aRefreshWaitedOnInTheRequestEndsWith200() async throws {
        try await RunFixture.test { fixture, client in
            let token = try await fixture.token("etl", [.refresh])
            let response = try await client.createRuns(runsBody(#"{"datasource": "Quick"}"#, extra: #""waitSeconds": 30"#), token: token)
            #expect(response.status == .ok, "\(response.text)")
            #expect(response.object["state"] as? String == "succeeded")
            #expect(response.object["finished"] as? Bool == true)
            let run = try #require(response.runs.first)
            #expect(run["state"] as? String == "succeeded" && run["itemName"] as? String == "Quick" && run["actor"] as? String == "token:etl")
            #expect(fixture.emulator.refreshCalls() == 1)
            let shown = try await client.call(.get, "/api/v1/runs/\(try #require(run["id"] as? String))", token: token)
            #expect(shown.status == .ok && shown.object["state"] as? String == "succeeded" && shown.object["finished"] as? Bool == true)
        }
    }

    @Test func withoutWaitingTheAnswerIs202AndALongPollFollowsTheRun() async throws {
        try await RunFixture.test { fixture, client in
            let token = try await fixture.token("etl", [.refresh])
            let created = try await client.createRuns(runsBody(#"{"datasource": "Slow"}"#), token: token)
            #expect(created.status == .accepted, "\(created.text)")
            #expect(created.object["state"] as? String == "running" && created.object["finished"] as? Bool == false)
            let id = try #require(created.runIds.first)
            let polled = try await client.call(.get, "/api/v1/runs/\(id)?waitSeconds=30", token: token)
            #expect(polled.status == .ok)
            #expect(polled.object["state"] as? String == "succeeded" && polled.object["finished"] as? Bool == true)
            #expect((polled.object["attempts"] as? [[String: Any]])?.count == 1)
        }
    }

    @Test func aSecondRequestJoinsTheRunningRefresh() async throws {
        try await RunFixture.test { fixture, client in
            let token = try await fixture.token("etl", [.refresh])
            let first = try await client.createRuns(runsBody(#"{"datasource": "Stuck"}"#), token: token)
            let second = try await client.createRuns(runsBody(#"{"datasource": "Default/Stuck"}"#), token: token)
            #expect(first.status == .accepted && second.status == .accepted)
            #expect(first.runIds == second.runIds && first.runIds.count == 1)
            let id = try #require(first.runIds.first)
            let joined = try await fixture.runtime.store.events(AuditQuery(action: "run.joined", target: id))
            #expect(joined.count == 1)
            _ = try await client.call(.post, "/api/v1/runs/\(id)/cancel", token: token)
        }
    }

    @Test func aRepeatedIdempotencyKeyReturnsTheSameRunsFromHeaderOrBody() async throws {
        try await RunFixture.test { fixture, client in
            let token = try await fixture.token("etl", [.refresh])
            let body = runsBody(#"{"datasource": "Quick"}"#, extra: #""waitSeconds": 30"#)
            let first = try await client.createRuns(body, token: token, idempotencyKey: "nightly-42")
            #expect(first.status == .ok, "\(first.text)")
            let again = try await client.createRuns(
                runsBody(#"{"datasource": "Quick"}"#, extra: #""idempotencyKey": "nightly-42""#), token: token)
            #expect(again.status == .ok && again.object["finished"] as? Bool == true)
            #expect(again.runIds == first.runIds)
            #expect(fixture.emulator.refreshCalls() == 1)
            let both = try await client.createRuns(
                runsBody(#"{"datasource": "Quick"}"#, extra: #""idempotencyKey": "a""#), token: token, idempotencyKey: "b")
            #expect(both.status == .badRequest && both.isProblem && both.object["field"] as? String == "idempotencyKey")
        }
    }

    @Test func unresolvedTargetsAre422ListingEveryMessageAndWhatWasFound() async throws {
        try await RunFixture.test { fixture, client in
            let token = try await fixture.token("etl", [.refresh])
            let response = try await client.createRuns(runsBody(#"{"datasource": "Nope"}, {"datasource": "Twin"}"#), token: token)
            #expect(response.status == .unprocessableContent && response.isProblem)
            let detail = try #require(response.object["detail"] as? String)
            #expect(detail.contains("Nope") && detail.contains("Quick"), "\(detail)")
            #expect(detail.contains("\"Twin\" in project \"Finance\"") && detail.contains("\"Twin\" in project \"Marketing\""), "\(detail)")
            #expect(try await fixture.runtime.store.runs(RunQuery()).isEmpty)
        }
    }

    @Test func badRequestsNameTheField() async throws {
        try await RunFixture.test { fixture, client in
            let token = try await fixture.token("etl", [.refresh])
            let cases: [(String, Int, String?)] = [
                (runsBody(#"{"datasource": "Quick", "workbook": "Board"}"#), 400, "targets[0]"),
                (runsBody(#"{"dataset": "Quick"}"#), 400, "targets[0].dataset"),
                (runsBody(#"{"table": "orders"}"#), 400, "targets[0].table"),
                (runsBody(""), 400, "targets"),
                (runsBody(#"{"datasource": "Quick"}"#, extra: #""waitSeconds": 61"#), 400, "waitSeconds"),
                (runsBody(#"{"datasource": "Quick"}"#, extra: #""attempts": 0"#), 400, "attempts"),
                (runsBody(#"{"datasource": "Quick"}"#, extra: #""timeoutSeconds": "1h""#), 400, "timeoutSeconds"),
                (#"{"connection": "nowhere", "targets": [{"datasource": "Quick"}]}"#, 404, nil),
            ]
            for (body, status, field) in cases {
                let response = try await client.createRuns(body, token: token)
                #expect(response.status.code == status && response.isProblem, "\(body): \(response.text)")
                #expect(response.object["field"] as? String == field, "\(body): \(response.text)")
            }
            let unknown = try await client.call(.get, "/api/v1/runs/no-such-run", token: token)
            #expect(unknown.status == .notFound && unknown.isProblem)
            let badWait = try await client.call(.get, "/api/v1/runs/x?waitSeconds=600", token: token)
            #expect(badWait.status == .badRequest && badWait.object["field"] as? String == "waitSeconds")
        }
    }

    @Test func liveItemsAreReportedNotRefreshed() async throws {
        try await RunFixture.test { fixture, client in
            let response = try await client.createRuns(runsBody(#"{"project": "Marketing"}"#, extra: #""waitSeconds": 30"#), token: fixture.admin)
            #expect(response.status == .ok, "\(response.text)")
            #expect(response.runs.map { $0["itemName"] as? String } == ["Twin"])
            let live = try #require(response.object["liveItems"] as? [[String: Any]])
            #expect(Set(live.compactMap { $0["itemName"] as? String }) == ["Live", "Live Board"])
            #expect(live.allSatisfy { ($0["reason"] as? String)?.contains("live connection") == true && $0["project"] as? String == "Marketing" })
        }
    }

    @Test func theListIsNewestFirstFilteredAndPaged() async throws {
        try await RunFixture.test { fixture, client in
            let admin = fixture.admin
            let finance = try await client.createRuns(runsBody(#"{"project": "Finance"}"#, extra: #""waitSeconds": 30"#), token: admin)
            #expect(finance.runIds.count == 3, "\(finance.text)")
            let quick = try await client.createRuns(runsBody(#"{"datasource": "Quick"}"#, extra: #""waitSeconds": 30"#), token: admin)
            var seen: [String] = []
            var cursor: String?
            repeat {
                let page = try await client.call(.get, "/api/v1/runs?limit=2" + (cursor.map { "&cursor=\($0)" } ?? ""), token: admin)
                #expect(page.status == .ok && page.runs.count <= 2)
                seen += page.runIds
                cursor = page.object["nextCursor"] as? String
            } while cursor != nil && seen.count < 10
            #expect(seen.count == 4 && Set(seen).count == 4)
            #expect(seen.first == quick.runIds.first)
            let failed = try await client.call(.get, "/api/v1/runs?state=failed&connection=demo", token: admin)
            #expect(failed.runs.map { $0["itemName"] as? String } == ["Broken"])
            let several = try await client.call(.get, "/api/v1/runs?state=failed,succeeded", token: admin)
            #expect(several.runs.count == 4)
            for query in ["state=done", "limit=0", "cursor=zzz", "color=red"] {
                let response = try await client.call(.get, "/api/v1/runs?\(query)", token: admin)
                #expect(response.status == .badRequest && response.isProblem, "\(query)")
            }
            #expect(try await client.call(.get, "/api/v1/runs?connection=nowhere", token: admin).status == .notFound)
        }
    }
}
