import Foundation
import Freshet
import FreshetServer
import TableauEmulator
import Testing

/// The real `freshet` binary as a client of a server on a real socket (`--server`/`--token`,
/// or FRESHET_SERVER/FRESHET_TOKEN), with a data directory of its own that stays empty.
@Suite struct RunCLIClientTests {
    @Test(.timeLimit(.minutes(2)))
    func refreshWaitsOverHTTPAndARefusalExits2() async throws {
        try await withServedDemo { binary, emulator, runtime, _, elsewhere in
            let (_, pipeline) = try await runtime.tokens.create(name: "pipeline", scopes: [.refresh, .read, .auditRead], allowList: .everything, actor: "test")
            let (_, reader) = try await runtime.tokens.create(name: "reader", scopes: [.read], actor: "test")
            let api = RunFixture.api(runtime)
            try await withSocketServer(FreshetHTTPServer(api: api)) { port in
                let server = "http://127.0.0.1:\(port)"
                let environment = elsewhere.processEnvironment()
                func freshet(_ arguments: [String], token: String, viaEnvironment: Bool = false) async throws -> ProcessSharingTests.Finished {
                    if viaEnvironment {
                        return try await ProcessSharingTests.run(
                            binary, arguments, environment: environment.merging(["FRESHET_SERVER": server, "FRESHET_TOKEN": token]) { $1 })
                    }
                    return try await ProcessSharingTests.run(binary, arguments + ["--server", server, "--token", token], environment: environment)
                }

                let refreshed = try await freshet(["refresh", "--connection", "demo", "--datasource", "Quick", "--wait"], token: pipeline)
                #expect(refreshed.status == 0, "\(refreshed.output)")
                #expect(refreshed.output.contains("(new run)") && refreshed.output.contains("succeeded"), "\(refreshed.output)")
                let runs = try await runtime.store.runs(RunQuery())
                #expect(runs.count == 1 && runs.first?.state == .succeeded && runs.first?.actor == "token:pipeline")
                #expect(emulator.refreshCalls() == 1)

                let id = try #require(runs.first?.id)
                let shown = try await freshet(["runs", "show", id], token: reader, viaEnvironment: true)
                #expect(shown.status == 0 && shown.output.contains("State      succeeded"), "\(shown.output)")
                let listed = try await freshet(["runs", "list", "--json"], token: reader)
                #expect(listed.status == 0 && listed.output.contains(id))
                let connections = try await freshet(["connection", "list"], token: reader)
                #expect(connections.status == 0 && connections.output.contains("demo"), "\(connections.output)")
                let audit = try await freshet(["audit", "--action", "run.finished"], token: pipeline)
                #expect(audit.status == 0 && audit.output.contains("token:pipeline"), "\(audit.output)")

                let refused = try await freshet(["refresh", "--connection", "demo", "--datasource", "Quick", "--wait"], token: reader)
                #expect(refused.status == 2, "\(refused.output)")
                #expect(refused.output.contains("lacks the scope \"refresh\""), "\(refused.output)")
                let missing = try await freshet(["runs", "show", "no-such-run"], token: reader)
                #expect(missing.status == 2 && missing.output.contains("No run with id no-such-run"))
            }
            await api.engine.shutdown()
            #expect(try await elsewhere.runtime().store.runs(RunQuery()).isEmpty)
        }
    }
}
