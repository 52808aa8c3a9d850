import Foundation
import Freshet
import FreshetServer
import HTTPTypes
import TableauEmulator
import Testing

/// Issue 14's end-to-end proof on a real PostgreSQL (a cluster of the test's own, so that
/// restarting it disturbs no other suite): two `freshet serve` and one `freshet worker` on one
/// database and one emulator. 300 runs are posted to both API hosts in requests with idempotency
/// keys (some sent twice, to either host), one API host is killed with SIGKILL while its runs
/// wait on Tableau, and PostgreSQL is restarted while runs are in flight. Every run ends as the
/// emulator's refresh did, each item is triggered once (the emulator's request log), the PAT
/// signs in once across all processes, and the killed host's waiting runs are finished by the
/// other processes on the jobs they had.
@Suite(.enabled(if: !PrivatePostgresCluster.skipped, "FRESHET_TEST_SKIP_POSTGRES=1 leaves PostgreSQL out"))
struct PostgresFailoverEndToEndTests {
    static let itemCount = 300
    static let itemsPerRequest = 5
    static var requestCount: Int { itemCount / itemsPerRequest }

    /// Item `n`'s data source name (1-based).
    static func name(_ n: Int) -> String { "E" + String(1000 + n).dropFirst() }
    /// Every 25th item's refresh fails in Tableau (its run must end failed).
    static func fails(_ n: Int) -> Bool { n.isMultiple(of: 25) }

    /// How long item `n`'s refresh takes in Tableau: 0.4 to 1.6 s, but 8 s for the items of the
    /// last five requests the first API host gets before it is killed, so that it surely has runs
    /// waiting on Tableau when it is killed, however slowly a loaded machine posts the requests.
    static func refreshSeconds(_ n: Int) -> Double {
        let request = (n - 1) / itemsPerRequest
        return (20..<(requestCount / 2)).contains(request) && request.isMultiple(of: 2) ? 8 : 0.4 + Double(n % 7) * 0.2
    }

    /// 300 data sources whose refreshes take ``refreshSeconds(_:)``.
    static func seed() throws -> Seed {
        try seed(
            datasources: (1...itemCount).map { n in
                ["name": name(n), "refresh": ["durationSeconds": refreshSeconds(n), "outcome": fails(n) ? "failure" : "success"]]
            })
    }

    /// The demo PAT's site with `datasources` (emulator seed entries).
    static func seed(datasources: [[String: Any]]) throws -> Seed {
        let seed: [String: Any] = [
            "server": ["maxApiVersion": "3.24", "mode": "server"],
            "personalAccessTokens": [["name": "freshet-admin", "secret": "demo-admin-pat-secret", "user": "admin@example.com"]],
            "sites": [
                [
                    "name": "Default", "contentUrl": "", "users": [["name": "admin@example.com", "siteRole": "SiteAdministratorCreator"]],
                    "projects": [["name": "Default"]], "datasources": datasources,
                ]
            ],
        ]
        return try SeedLoader.decode(try JSONSerialization.data(withJSONObject: seed))
    }

    /// Run twice, one after the other: with the default wait for a connection (5 s, which mostly
    /// absorbs the restart) and with `FRESHET_DATABASE_TIMEOUT_SECONDS=1`, so that the restart
    /// fails store calls instead of delaying them (steps dropped and driven again, commits whose
    /// answer was lost).
    @Test(.timeLimit(.minutes(4)), .serialized, arguments: [nil, "1"])
    func twoServersAndAWorkerSurviveAKilledServerAndAPostgresRestart(databaseTimeout: String?) async throws {
        let binary = try #require(ProcessSharingTests.freshetBinary(), "build the freshet product first (scripts/test does)")
        let cluster = try await PrivatePostgresCluster.start()
        let data = DemoDataDirectory()
        defer { data.remove() }
        do {
            try await withEmulator(seed: try Self.seed()) { emulator in try await Self.scenario(binary, cluster, data, emulator, databaseTimeout: databaseTimeout) }
        } catch {
            await cluster.stop()
            throw error
        }
        await cluster.stop()
    }

    static func scenario(
        _ binary: URL, _ cluster: PrivatePostgresCluster, _ data: DemoDataDirectory, _ emulator: RunningEmulator, databaseTimeout: String?
    ) async throws {
        let started = ContinuousClock.now
        let runtime = try await data.addDemoConnection(emulator, databaseURL: cluster.url)
        let (_, token) = try await runtime.tokens.create(name: "pipeline", scopes: [.refresh], allowList: .everything, actor: "test")
        let environment = data.processEnvironment(
            [
                "FRESHET_DATABASE_URL": cluster.url, "FRESHET_LEASE_SECONDS": "2", "FRESHET_MAX_TABLEAU_JOBS_PER_CONNECTION": "50",
                "FRESHET_LOG_LEVEL": "warning",
            ].merging(databaseTimeout.map { ["FRESHET_DATABASE_TIMEOUT_SECONDS": $0] } ?? [:]) { $1 })
        let first = try await ServeProcess(binary, environment: environment)
        let second = try await ServeProcess(binary, environment: environment)
        let worker = try await FreshetDaemon(binary, ["worker"], environment: environment, startsWith: "Freshet worker driving refresh runs")
        let daemons = [first.daemon, second.daemon, worker]
        defer { for daemon in daemons where daemon.child.waitForExit(until: .now()) == nil { daemon.child.send(SIGKILL) } }
        func logs() -> String {
            zip(["serve 1", "serve 2", "worker"], daemons).map { "\($0) (pid \($1.child.pid)):\n\($1.log)" }.joined(separator: "\n")
        }
        let postDeadline = ContinuousClock.now + .seconds(90)
        var answered: [Int: Set<String>] = [:]

        // Half the requests, alternating between the two API hosts; the first four again, on the other host.
        for request in 0..<(requestCount / 2) {
            answered[request] = try await post(request, to: request.isMultiple(of: 2) ? first.port : second.port, token: token, until: postDeadline)
        }
        for request in 0..<4 {
            let again = try await post(request, to: request.isMultiple(of: 2) ? second.port : first.port, token: token, until: postDeadline)
            #expect(again == answered[request], "request \(request) sent again got other runs")
        }

        // The first API host is killed once some of its runs wait on Tableau jobs.
        let firstHolder = ":\(first.child.pid):"
        let waitingSeen = try await eventually(within: .seconds(30)) {
            try await runtime.store.runs(RunQuery(states: [.waiting], limit: 10_000)).filter { $0.lease?.holder.contains(firstHolder) == true }.count >= 3
        }
        #expect(waitingSeen, "the first host never had three runs waiting on Tableau\n\(logs())")
        await first.daemon.kill()
        let killedAt = ContinuousClock.now
        let leftBehind = try await runtime.store.runs(RunQuery(limit: 10_000)).filter {
            !$0.state.isTerminal && $0.lease?.holder.contains(firstHolder) == true
        }
        let waitingAtKill = Dictionary(uniqueKeysWithValues: leftBehind.filter { $0.state == .waiting }.map { ($0.id, $0.jobId) })
        #expect(waitingAtKill.count >= 3)

        // More requests on the surviving API host, one of the killed host's requests again.
        for request in (requestCount / 2)..<(requestCount * 3 / 4) {
            answered[request] = try await post(request, to: second.port, token: token, until: postDeadline)
        }
        #expect(try await post(4, to: second.port, token: token, until: postDeadline) == answered[4])

        // PostgreSQL restarts while the last requests come in and runs are in flight.
        async let restarted: Void = cluster.restart()
        for request in (requestCount * 3 / 4)..<requestCount {
            answered[request] = try await post(request, to: second.port, token: token, until: postDeadline)
        }
        try await restarted
        #expect(try await post(requestCount - 1, to: second.port, token: token, until: postDeadline) == answered[requestCount - 1])
        let ready = try await eventually(within: .seconds(20)) { try await socketCall(port: second.port, .get, "/ready").status == .ok }
        #expect(ready, "the surviving API host is not ready again after PostgreSQL restarted\n\(logs())")

        // Every run ends as its refresh did in Tableau.
        var runs: [Run] = []
        let allEnded = try await eventually(within: .seconds(90)) {
            runs = try await runtime.store.runs(RunQuery(limit: 10_000))
            return runs.count == itemCount && runs.allSatisfy(\.state.isTerminal)
        }
        let endedAt = ContinuousClock.now
        #expect(allEnded, "unfinished: \(runs.filter { !$0.state.isTerminal }.map { "\($0.item.name) \($0.state)" })\n\(logs())")
        #expect(Set(answered.values.flatMap { $0 }) == Set(runs.map(\.id)) && runs.count == itemCount)
        let wrong = runs.filter { run in
            guard let n = Int(run.item.name.dropFirst()) else { return true }
            return run.state != (fails(n) ? .failed : .succeeded)
        }
        #expect(wrong.isEmpty, "ended otherwise than in Tableau: \(wrong.map { "\($0.item.name) \($0.state) \($0.notes ?? "")" })\n\(logs())")
        for run in runs where waitingAtKill[run.id] != nil {
            #expect(run.jobId == waitingAtKill[run.id], "\(run.item.name) waited on \(waitingAtKill[run.id] ?? "?") and ended on \(run.jobId ?? "none")")
        }

        // Tableau saw one queued refresh per item and one sign-in.
        let log = emulator.state.recordedRequests()
        let queued = Dictionary(grouping: log.filter { $0.method == "POST" && $0.path.hasSuffix("/refresh") && $0.status < 300 }, by: \.path)
        let notOnce = runs.filter { queued[refreshPath(of: $0, in: log)]?.count != 1 }
        #expect(notOnce.isEmpty, "not queued exactly once: \(notOnce.map { "\($0.item.name) ×\(queued[refreshPath(of: $0, in: log)]?.count ?? 0)" })")
        #expect(queued.count == itemCount)
        #expect(log.filter { $0.path.hasSuffix("/auth/signin") }.count == 1, "\(log.filter { $0.path.hasSuffix("/auth/signin") })")

        let survivorsLog = second.daemon.log + "\n" + worker.log
        #expect(await second.daemon.terminate(within: .seconds(30)) == 0, "\(logs())")
        #expect(await worker.terminate(within: .seconds(30)) == 0, "\(logs())")
        func count(_ text: String) -> Int { survivorsLog.components(separatedBy: text).count - 1 }
        print(
            "PostgreSQL end to end (database timeout \(databaseTimeout ?? "default")): \(itemCount) runs, \(leftBehind.count) left by the killed host (\(waitingAtKill.count) waiting), "
                + "all ended \(endedAt - killedAt) after the kill, \(ContinuousClock.now - started) in all; the survivors logged "
                + "\(count("stopped driving run")) dropped steps, "
                + "\(count("could not renew")) failed lease renewals")
    }

    /// The emulator's path for `run`'s refresh (`…/datasources/ID/refresh`).
    static func refreshPath(of run: Run, in log: [RecordedRequest]) -> String {
        log.first { $0.path.hasSuffix("/datasources/\(run.item.tableauId)/refresh") }?.path ?? run.item.tableauId
    }

    /// Sends request number `request` (items 5·request+1 … 5·request+5, key "batch-N") to the API
    /// host on `port` until it is answered (202, or 200 when a repeated key's runs all ended): a 503 while PostgreSQL is away, or a connection
    /// cut by it, is sent again with the same key, as a pipeline would. The ids of its runs.
    static func post(_ request: Int, to port: Int, token: String, until deadline: ContinuousClock.Instant) async throws -> Set<String> {
        let targets = (1...itemsPerRequest).map { #"{"datasource": "\#(name(request * itemsPerRequest + $0))"}"# }.joined(separator: ", ")
        let body = runsBody(targets, extra: #""idempotencyKey": "batch-\#(request)""#)
        var last = ""
        while ContinuousClock.now < deadline {
            do {
                let answer = try await socketCall(port: port, .post, "/api/v1/runs", token: token, body: body)
                if (200..<300).contains(answer.status.code) { return Set((answer.object["runs"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }) }
                last = "\(answer.status): \(answer.text)"
                guard answer.status == .serviceUnavailable else { break }
            } catch {
                last = "\(error)"
            }
            try await Task.sleep(for: .milliseconds(100))  // a pipeline's pause before it retries
        }
        throw StoreError("request \(request) was not accepted: \(last)")
    }

    /// Checks `condition` every 50 ms until it holds (true) or `limit` passes (false); an error
    /// counts as not yet (PostgreSQL may be restarting).
    static func eventually(within limit: Duration, _ condition: () async throws -> Bool) async throws -> Bool {
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            if (try? await condition()) == true { return true }
            try await Task.sleep(for: .milliseconds(50))
        }
        return false
    }
}
