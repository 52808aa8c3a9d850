import Foundation
import Freshet
import FreshetServer
import HTTPTypes
import HummingbirdTesting
import Testing

/// What the API remembers on its hot paths (docs/decisions/0005-api-hot-paths.md) never skips
/// a check: a repeated key answered from memory is still authorized on every request, and a
/// change made through this server (revocation, deletion) takes effect at once.
@Suite struct RunHotPathTests {
    @Test func aRepeatedKeyOfEndedRunsGetsTheSameAnswerAndEveryCheckStillApplies() async throws {
        try await RunFixture.test { fixture, client in
            let token = try await fixture.token("etl", [.refresh])
            let body = runsBody(#"{"datasource": "Quick"}"#, extra: #""waitSeconds": 30"#)
            let first = try await client.createRuns(body, token: token, idempotencyKey: "nightly-7")
            #expect(first.status == .ok && first.object["finished"] as? Bool == true, "\(first.text)")
            let second = try await client.createRuns(body, token: token, idempotencyKey: "nightly-7")
            let third = try await client.createRuns(body, token: token, idempotencyKey: "nightly-7")
            #expect(second.status == .ok && third.status == .ok)
            #expect(second.runIds == first.runIds && third.text == second.text)
            #expect(fixture.emulator.refreshCalls() == 1)
            // A bad waitSeconds is refused before any remembered answer.
            let badWait = try await client.createRuns(
                runsBody(#"{"datasource": "Quick"}"#, extra: #""waitSeconds": 61"#), token: token, idempotencyKey: "nightly-7")
            #expect(badWait.status == .badRequest && badWait.object["field"] as? String == "waitSeconds")

            // Another token: outside its connection allow-list, or without the refresh scope, is refused and audited.
            let elsewhere = try await fixture.token(
                "elsewhere", [.refresh], allow: TokenAllowList(connections: [GlobPattern("other")], projects: [GlobPattern("*")]))
            let refused = try await client.createRuns(body, token: elsewhere, idempotencyKey: "nightly-7")
            #expect(refused.status == .forbidden && refused.isProblem, "\(refused.text)")
            #expect(try await fixture.denials("elsewhere").count == 1)
            let reader = try await fixture.token("reader", [.read])
            let notRefresh = try await client.createRuns(body, token: reader, idempotencyKey: "nightly-7")
            #expect(notRefresh.status == .forbidden && notRefresh.object["missingScope"] as? String == "refresh", "\(notRefresh.text)")

            // A revocation through this server holds at once, although the token was just remembered.
            let revoked = try await client.call(.delete, "/api/v1/tokens/etl", token: fixture.admin)
            #expect(revoked.status == .ok, "\(revoked.text)")
            #expect(try await client.createRuns(body, token: token, idempotencyKey: "nightly-7").status == .unauthorized)
        }
    }

    @Test func aConnectionDeletedThroughThisServerIsGoneAtOnce() async throws {
        try await RunFixture.test { fixture, client in
            let token = try await fixture.token("etl", [.refresh])
            let body = runsBody(#"{"datasource": "Quick"}"#, extra: #""waitSeconds": 30"#)
            let first = try await client.createRuns(body, token: token, idempotencyKey: "k1")
            let again = try await client.createRuns(body, token: token, idempotencyKey: "k1")
            #expect(first.status == .ok && again.runIds == first.runIds, "\(again.text)")
            let deleted = try await client.call(.delete, "/api/v1/connections/demo", token: fixture.admin)
            #expect(deleted.status == .noContent, "\(deleted.text)")
            let gone = try await client.createRuns(body, token: token, idempotencyKey: "k1")
            #expect(gone.status == .notFound && gone.isProblem, "\(gone.text)")
        }
    }
}
