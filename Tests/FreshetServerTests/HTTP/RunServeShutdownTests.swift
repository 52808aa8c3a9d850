import Foundation
import Freshet
import FreshetServer
import HTTPTypes
import HummingbirdTesting
import NIOCore
import TableauEmulator
import Testing

/// The real `freshet serve` binary: SIGTERM while a run waits on a slow Tableau job (and a caller
/// long-polls it) exits 0 at once, answers the long-poll with the run as it stands and leaves
/// the run in the database; the next start finishes it without refreshing again.
@Suite struct RunServeShutdownTests {
    @Test(.timeLimit(.minutes(2)))
    func sigtermLeavesTheWaitingRunDurableAndTheNextStartFinishesIt() async throws {
        let binary = try #require(ProcessSharingTests.freshetBinary(), "build the freshet product first (scripts/test does)")
        let data = DemoDataDirectory()
        defer { data.remove() }
        try await withEmulator(seed: try RefreshSeed.seed()) { emulator in
            let runtime = try await data.addDemoConnection(emulator)
            let (_, token) = try await runtime.tokens.create(name: "pipeline", scopes: [.refresh], allowList: .everything, actor: "test")
            let environment = data.processEnvironment(["FRESHET_LEASE_SECONDS": "2"])
            let first = try await ServeProcess(binary, environment: environment)
            // A long-poll (up to 60 s) stays open across the SIGTERM.
            async let longPoll = first.call(.post, "/api/v1/runs", token: token, body: runsBody(#"{"datasource": "Long"}"#, extra: #""waitSeconds": 60"#))
            var run: Run?
            let deadline = ContinuousClock.now + .seconds(20)
            while run?.state != .waiting, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(20))  // polling the store for the state change, bounded
                run = try await runtime.store.runs(RunQuery(limit: 1)).first
            }
            let id = try #require(run?.id)
            #expect(run?.state == .waiting)

            let signalled = ContinuousClock.now
            #expect(await first.terminate() == 0)
            // Exit did not wait for the 5 s job nor the 60 s long-poll, whose caller got the run as it stood.
            #expect(ContinuousClock.now - signalled < .seconds(4))
            let created = try await longPoll
            #expect(created.status == .accepted, "\(created.text)")
            #expect((created.object["runs"] as? [[String: Any]])?.first?["state"] as? String == "waiting", "\(created.text)")
            let after = try #require(try await runtime.store.run(id: id))
            #expect(!after.state.isTerminal && after.jobId != nil, "\(after.state)")

            let second = try await ServeProcess(binary, environment: environment)
            let ended = try await second.call(.get, "/api/v1/runs/\(id)?waitSeconds=30", token: token)
            #expect(ended.object["state"] as? String == "succeeded", "\(ended.text)")
            #expect(await second.terminate() == 0)
            #expect(emulator.refreshCalls() == 1)
            let stored = try #require(try await runtime.store.run(id: id))
            #expect(stored.state == .succeeded && stored.jobId == after.jobId)
        }
    }
}

/// A `freshet serve --port 0` child process, reached over a real socket once it printed its address.
final class ServeProcess: Sendable {
    let daemon: FreshetDaemon
    let port: Int

    init(_ binary: URL, environment: [String: String]) async throws {
        let prefix = "Freshet listening on http://127.0.0.1:"
        daemon = try await FreshetDaemon(binary, ["serve", "--port", "0"], environment: environment, startsWith: prefix)
        guard let port = Int(daemon.startLine.dropFirst(prefix.count)) else { throw CocoaError(.fileReadUnknown) }
        self.port = port
    }

    var child: ChildProcess { daemon.child }

    /// Sends a request with a bearer token and an optional JSON body.
    func call(_ method: HTTPRequest.Method, _ path: String, token: String, body: String? = nil) async throws -> (status: HTTPResponse.Status, object: [String: Any], text: String) {
        try await socketCall(port: port, method, path, token: token, body: body)
    }

    /// SIGTERM, then the exit status (128 + the signal when a signal ended it).
    func terminate() async -> Int32 {
        await daemon.terminate()
    }
}
