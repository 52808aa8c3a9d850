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

    /// A server that is not running is reported at once (exit 5), not after the request's
    /// two-minute deadline of connection retries.
    @Test(.timeLimit(.minutes(1)))
    func aServerThatRefusesTheConnectionFailsAtOnce() async throws {
        let binary = try #require(ProcessSharingTests.freshetBinary(), "build the freshet product first (scripts/test does)")
        let elsewhere = DemoDataDirectory()
        defer { elsewhere.remove() }
        let port = try Self.closedPort()
        let started = ContinuousClock.now
        let finished = try await ProcessSharingTests.run(
            binary, ["runs", "list", "--server", "http://127.0.0.1:\(port)", "--token", "any"], environment: elsewhere.processEnvironment())
        #expect(finished.status == 5, "\(finished.output)")
        #expect(finished.output.contains("Cannot reach the Freshet server at http://127.0.0.1:\(port): nothing listens there (connection refused)"), "\(finished.output)")
        #expect(ContinuousClock.now - started < .seconds(20))
    }

    /// A loopback port nothing listens on: bound, read back, closed.
    static func closedPort() throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) == 0 && getsockname(descriptor, $0, &length) == 0 }
        }
        guard bound else { throw POSIXError(.EADDRNOTAVAIL) }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
