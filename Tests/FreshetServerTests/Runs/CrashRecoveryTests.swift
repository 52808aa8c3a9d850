import Foundation
import Freshet
import FreshetServer
import TableauEmulator
import Testing

/// Kills a real `freshet refresh --wait` process (SIGKILL) while its runs wait, restarts it, and
/// checks from the emulator's request log that no item was refreshed twice and every run ended.
@Suite struct CrashRecoveryTests {
    static let seed = #"""
        {
          "server": { "maxApiVersion": "3.24", "mode": "server" },
          "personalAccessTokens": [ { "name": "freshet-admin", "secret": "demo-admin-pat-secret", "user": "admin@example.com" } ],
          "sites": [{
            "name": "Default", "contentUrl": "",
            "users": [ { "name": "admin@example.com", "siteRole": "SiteAdministratorCreator" } ],
            "projects": [ { "name": "Default" } ],
            "datasources": [
              { "name": "D1", "refresh": { "durationSeconds": 1.5 } }, { "name": "D2", "refresh": { "durationSeconds": 1.5 } },
              { "name": "D3", "refresh": { "durationSeconds": 1.5 } }, { "name": "D4", "refresh": { "durationSeconds": 1.5 } },
              { "name": "D5", "refresh": { "durationSeconds": 1.5 } }, { "name": "D6", "refresh": { "durationSeconds": 1.5 } }
            ]
          }]
        }
        """#

    @Test(.timeLimit(.minutes(3)))
    func killedWhileWaitingThenRestartedEveryRunEndsAndNothingIsRefreshedTwice() async throws {
        let binary = try #require(ProcessSharingTests.freshetBinary(), "build the freshet product first (scripts/test does)")
        let data = DemoDataDirectory()
        defer { data.remove() }
        try await withEmulator(seed: try SeedLoader.decode(Data(Self.seed.utf8))) { emulator in
            let runtime = try await data.addDemoConnection(emulator)
            // Two refreshes at a time, so that at the kill some runs wait on Tableau and others never reached it.
            let environment = data.processEnvironment(["FRESHET_MAX_CONCURRENT_REFRESHES": "2", "FRESHET_LEASE_SECONDS": "1"])
            let arguments = ["refresh", "--connection", "demo", "--wait", "--idempotency-key", "nightly"]
                + (1...6).flatMap { ["--datasource", "D\($0)"] }

            // First process: killed as soon as two runs wait on Tableau jobs.
            let first = try LineReadingProcess(binary, arguments, environment: environment)
            var waiting = 0
            for await line in first.lines where line.contains("waiting for Tableau job") {
                waiting += 1
                if waiting == 2 { break }
            }
            await first.kill()
            #expect(waiting == 2)
            let stored = try await runtime.store.runs(RunQuery())
            #expect(stored.count == 6)
            #expect(stored.filter { $0.state == .waiting }.count == 2, "\(stored.map(\.state))")
            #expect(stored.contains { $0.state == .waiting } && stored.contains { $0.state == .accepted })

            // Second process: the same request, same key, picks the runs up.
            let second = try await ProcessSharingTests.run(binary, arguments, environment: environment)
            #expect(second.status == 0, "freshet exited \(second.status): \(second.output)")
            let ended = try await runtime.store.runs(RunQuery())
            #expect(ended.count == 6)
            #expect(ended.allSatisfy { $0.state == .succeeded })

            let accepted = emulator.state.recordedRequests().filter { $0.method == "POST" && $0.path.hasSuffix("/refresh") && $0.status < 300 }
            let perItem = Dictionary(grouping: accepted, by: \.path).mapValues(\.count)
            #expect(perItem.count == 6 && perItem.values.allSatisfy { $0 == 1 }, "refreshes queued per item: \(perItem)")
            for run in ended where run.attempts.count > 1 {
                // Only a trigger cut off mid-call may be retried, and Tableau then refused a duplicate.
                #expect(run.attempts.dropLast().allSatisfy { $0.outcome == .interrupted })
            }
        }
    }
}

/// A child process whose standard error is read line by line as it comes.
final class LineReadingProcess: @unchecked Sendable {
    let child: ChildProcess
    let lines: AsyncStream<String>

    init(_ binary: URL, _ arguments: [String], environment: [String: String]) throws {
        child = try ChildProcess(binary, arguments, environment: environment, stdout: .discard, stderr: .pipe)
        lines = LineBuffer.lines(of: child.standardError!)
    }

    /// SIGKILL, then reap.
    func kill() async {
        child.send(SIGKILL)
        _ = await child.exitStatus()
    }
}
