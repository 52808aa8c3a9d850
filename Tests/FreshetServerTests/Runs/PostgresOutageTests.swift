import Foundation
import Freshet
import FreshetServer
import HTTPTypes
import TableauEmulator
import Testing

/// Issue 14's failover item 6 for a database outage: one `freshet serve` on a PostgreSQL cluster
/// of the test's own, ten runs waiting on Tableau jobs, then PostgreSQL stopped and started
/// again. While it is away, `POST /api/v1/runs` answers 503 with a problem document within the
/// database timeout (never 500, never a hang) and `/ready` answers 503; once it is back, `/ready`
/// turns 200 without a restart, the waiting runs end on the jobs they had (each item queued once
/// in the emulator's request log) and the refused request succeeds when sent again.
///
/// The outage lasts 8 s by default — clearly longer than every timeout and pool wait of the
/// server under test (`FRESHET_DATABASE_TIMEOUT_SECONDS=2`), and short enough for CI; the
/// issue's 30 s is run with `FRESHET_TEST_OUTAGE_SECONDS=30` (the refreshes then end in Tableau
/// long before the database is back, so the runs are finished from what Tableau kept).
@Suite(.enabled(if: !PrivatePostgresCluster.skipped, "FRESHET_TEST_SKIP_POSTGRES=1 leaves PostgreSQL out"))
struct PostgresOutageTests {
    static let itemCount = 10
    static let databaseTimeout = 2.0

    static var outage: Duration {
        .seconds(Double(ProcessInfo.processInfo.environment["FRESHET_TEST_OUTAGE_SECONDS"] ?? "") ?? 8)
    }

    static func name(_ n: Int) -> String { "O" + String(100 + n).dropFirst() }

    /// Eleven data sources whose refreshes take 3 s (they end while the database is away); the
    /// tenth fails in Tableau; the eleventh is for the request sent while the database is away.
    static func seed() throws -> Seed {
        try PostgresFailoverEndToEndTests.seed(
            datasources: (1...itemCount + 1).map { n in
                ["name": name(n), "refresh": ["durationSeconds": 3, "outcome": n == itemCount ? "failure" : "success"]]
            })
    }

    @Test(.timeLimit(.minutes(3))) func waitingRunsSurviveADatabaseOutageWithClearErrorsMeanwhile() async throws {
        let binary = try #require(ProcessSharingTests.freshetBinary(), "build the freshet product first (scripts/test does)")
        let cluster = try await PrivatePostgresCluster.start()
        let data = DemoDataDirectory()
        defer { data.remove() }
        do {
            try await withEmulator(seed: try Self.seed()) { emulator in try await Self.scenario(binary, cluster, data, emulator) }
        } catch {
            await cluster.stop()
            throw error
        }
        await cluster.stop()
    }

    static func scenario(_ binary: URL, _ cluster: PrivatePostgresCluster, _ data: DemoDataDirectory, _ emulator: RunningEmulator) async throws {
        let runtime = try await data.addDemoConnection(emulator, databaseURL: cluster.url)
        let (_, token) = try await runtime.tokens.create(name: "pipeline", scopes: [.refresh], allowList: .everything, actor: "test")
        let serve = try await ServeProcess(
            binary,
            environment: data.processEnvironment([
                "FRESHET_DATABASE_URL": cluster.url, "FRESHET_LEASE_SECONDS": "2", "FRESHET_LOG_LEVEL": "warning",
                "FRESHET_DATABASE_TIMEOUT_SECONDS": String(databaseTimeout),
            ]))
        defer { if serve.child.waitForExit(until: .now()) == nil { serve.child.send(SIGKILL) } }
        let targets = (1...itemCount).map { #"{"datasource": "\#(name($0))"}"# }.joined(separator: ", ")
        let first = try await serve.call(.post, "/api/v1/runs", token: token, body: runsBody(targets, extra: #""idempotencyKey": "before""#))
        try #require(first.status == .accepted, "\(first.text)\n\(serve.daemon.log)")
        let ids = Set((first.object["runs"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String })
        #expect(ids.count == itemCount)
        var runs: [Run] = []
        let allWaiting = try await PostgresFailoverEndToEndTests.eventually(within: .seconds(30)) {
            runs = try await runtime.store.runs(RunQuery(limit: 100))
            return runs.count == itemCount && runs.allSatisfy { $0.state == .waiting }
        }
        try #require(allWaiting, "not all waiting: \(runs.map { "\($0.item.name) \($0.state)" })\n\(serve.daemon.log)")
        let jobs = Dictionary(uniqueKeysWithValues: runs.map { ($0.id, $0.jobId) })

        // PostgreSQL away: every answer is a 503 problem document, within the timeout.
        try await cluster.stopServer()
        let stoppedAt = ContinuousClock.now
        // The timeout, with room for a loaded machine (one store call times out per request).
        let bound = Duration.seconds(databaseTimeout * 2) + .seconds(5)
        let other = #"{"datasource": "\#(name(itemCount + 1))"}"#
        var probes = 0
        repeat {
            let asked = ContinuousClock.now
            let post = try await serve.call(.post, "/api/v1/runs", token: token, body: runsBody(other, extra: #""idempotencyKey": "during""#))
            let postTook = ContinuousClock.now - asked
            #expect(post.status == .serviceUnavailable, "POST while PostgreSQL is away: \(post.status) \(post.text)")
            #expect(post.object["status"] as? Int == 503 && post.object["type"] is String && post.object["title"] is String, "\(post.text)")
            #expect(postTook < bound, "POST took \(postTook) while PostgreSQL was away")
            let readyAsked = ContinuousClock.now
            let ready = try await socketCall(port: serve.port, .get, "/ready")
            #expect(ready.status == .serviceUnavailable, "/ready while PostgreSQL is away: \(ready.status) \(ready.text)")
            #expect(ContinuousClock.now - readyAsked < bound)
            probes += 1
        } while ContinuousClock.now - stoppedAt < outage
        try await cluster.startAgain()
        let outageTook = ContinuousClock.now - stoppedAt

        // Back without a restart: ready, the waiting runs end on their jobs, requests succeed.
        let recovered = ContinuousClock.now
        let ready = try await PostgresFailoverEndToEndTests.eventually(within: .seconds(30)) {
            try await socketCall(port: serve.port, .get, "/ready").status == .ok
        }
        #expect(ready, "/ready is not 200 after PostgreSQL came back\n\(serve.daemon.log)")
        let readyAfter = ContinuousClock.now - recovered
        let again = try await serve.call(.post, "/api/v1/runs", token: token, body: runsBody(other, extra: #""idempotencyKey": "during""#))
        #expect(again.status == .accepted || again.status == .ok, "\(again.status) \(again.text)")
        let allEnded = try await PostgresFailoverEndToEndTests.eventually(within: .seconds(60)) {
            runs = try await runtime.store.runs(RunQuery(limit: 100))
            return runs.count == itemCount + 1 && runs.allSatisfy(\.state.isTerminal)
        }
        let endedAfter = ContinuousClock.now - recovered
        #expect(allEnded, "unfinished: \(runs.filter { !$0.state.isTerminal }.map { "\($0.item.name) \($0.state)" })\n\(serve.daemon.log)")
        for run in runs where ids.contains(run.id) {
            #expect(run.state == (run.item.name == name(itemCount) ? .failed : .succeeded), "\(run.item.name) \(run.state) \(run.notes ?? "")")
            #expect(run.jobId == jobs[run.id], "\(run.item.name) waited on \(jobs[run.id] ?? "none") and ended on \(run.jobId ?? "none")")
        }
        let log = emulator.state.recordedRequests()
        let queued = log.filter { $0.method == "POST" && $0.path.hasSuffix("/refresh") && $0.status < 300 }
        #expect(queued.count == itemCount + 1, "refreshes queued: \(queued.map(\.path))")
        #expect(Set(queued.map(\.path)).count == itemCount + 1, "an item was queued twice: \(queued.map(\.path))")

        #expect(await serve.daemon.terminate(within: .seconds(30)) == 0, "\(serve.daemon.log)")
        print(
            "PostgreSQL outage: \(outageTook) away, \(probes) probes answered 503; ready \(readyAfter) after it came back, "
                + "all \(runs.count) runs ended \(endedAfter) after it")
    }
}
