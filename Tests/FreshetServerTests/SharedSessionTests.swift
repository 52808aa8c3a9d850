import Foundation
import Freshet
import FreshetSQLite
import FreshetServer
import TableauClient
import Testing
import TableauEmulator

/// Several Freshet processes on one database share one Tableau session (DESIGN.md, Sessions).
@Suite struct SharedSessionTests {
    @Test func twentyRuntimesOnOneDatabaseSignInOnceAndNeverSee401() async throws {
        let data = DemoDataDirectory()
        defer { data.remove() }
        try await withEmulator(seed: try DemoSeed.seed()) { emulator in
            let setup = try await data.addDemoConnection(emulator)
            try await withThrowingTaskGroup(of: Bool.self) { group in
                for _ in 0..<20 {
                    group.addTask {
                        // Each runtime opens its own database handle, as a separate process would.
                        return try await data.runtime().check("demo", actor: "test").allSatisfy(\.passed)
                    }
                }
                for try await passed in group { #expect(passed) }
            }
            let log = emulator.state.recordedRequests()
            #expect(log.filter { $0.path.hasSuffix("/auth/signin") }.count == 1)
            #expect(log.filter { $0.status == 401 }.isEmpty)
            let signIns = try await setup.store.events(AuditQuery(action: "tableau.signin"))
            #expect(signIns.count == 1 && signIns.first?.outcome == "success")
        }
    }

    @Test func aSessionEndedByTableauIsReplacedOnceForEveryone() async throws {
        let data = DemoDataDirectory()
        defer { data.remove() }
        try await withEmulator(seed: try DemoSeed.seed()) { emulator in
            let first = try await data.addDemoConnection(emulator)
            #expect(try await first.check("demo", actor: "test").allSatisfy(\.passed))
            emulator.state.revokeSessions(patName: "freshet-admin")
            let second = try data.runtime()
            #expect(try await second.check("demo", actor: "test").allSatisfy(\.passed))
            #expect(try await first.check("demo", actor: "test").allSatisfy(\.passed))
            #expect(emulator.state.successfulSignIns() == 2)
        }
    }

    @Test func theSessionTokenIsSealedInTheDatabase() async throws {
        let data = DemoDataDirectory()
        defer { data.remove() }
        try await withEmulator(seed: try DemoSeed.seed()) { emulator in
            let runtime = try await data.addDemoConnection(emulator)
            let client = try await runtime.client(for: "demo")
            let token = try await client.session().token
            try await #require(runtime.sqliteDatabase).checkpoint()
            for name in try FileManager.default.contentsOfDirectory(atPath: data.directory.path) {
                let bytes = try Data(contentsOf: data.directory.appendingPathComponent(name))
                #expect(bytes.range(of: Data(token.utf8)) == nil, "\(name) holds the session token")
                #expect(bytes.range(of: Data("demo-admin-pat-secret".utf8)) == nil, "\(name) holds the PAT secret")
            }
        }
    }
}
