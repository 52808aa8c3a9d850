import Foundation
import Freshet
import FreshetServer
import Hummingbird
import Testing
import TableauEmulator

/// The health checks against the emulator, passing and failing the ways DESIGN.md names.
@Suite struct HealthCheckIntegrationTests {
    func check(_ draft: ConnectionDraft) async throws -> [HealthCheckResult] {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("freshet-health-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let runtime = try FreshetRuntime(dataDirectory: directory, environment: [:])
        _ = try await runtime.connections.add(draft, actor: "test")
        return try await runtime.check(draft.name, actor: "test")
    }

    func draft(_ url: String, pat: String = "freshet-admin", secret: String = "demo-admin-pat-secret", site: String = "") -> ConnectionDraft {
        ConnectionDraft(name: "c", serverURL: url, siteContentUrl: site, patName: pat, patSecret: secret)
    }

    @Test func allPassOnAnAdministratorPAT() async throws {
        try await withEmulator(seed: try DemoSeed.seed()) { emulator in
            let results = try await check(draft(emulator.baseURL))
            #expect(results.map(\.passed) == [true, true, true, true, true])
            #expect(results[3].message == "PAT can list site users (4 total).")
            let named = try await check(draft(emulator.baseURL, site: "analytics"))
            #expect(named[1].message == "Successfully accessed Tableau site \"analytics\"")
        }
    }

    @Test func aWrongSecretFailsWithTableausWords() async throws {
        try await withEmulator(seed: try DemoSeed.seed()) { emulator in
            let results = try await check(draft(emulator.baseURL, secret: "not-the-secret"))
            #expect(results.allSatisfy { !$0.passed })
            #expect(results[0].message == HealthChecker.apiFailed)
            #expect(results[0].tableauError == "Tableau sign-in failed (HTTP 401, Signin Error): Error signing in to Tableau Server")
            #expect(results[3].message == HealthChecker.usersNoSite)
        }
    }

    @Test func aWrongSiteFails() async throws {
        try await withEmulator(seed: try DemoSeed.seed()) { emulator in
            let results = try await check(draft(emulator.baseURL, site: "no-such-site"))
            #expect(results[1].message == HealthChecker.siteFailed && !results[1].passed)
        }
    }

    @Test func aNonAdministratorPATCannotManageUsers() async throws {
        try await withEmulator(seed: try DemoSeed.seed()) { emulator in
            let results = try await check(draft(emulator.baseURL, pat: "freshet-analyst", secret: "demo-analyst-pat-secret"))
            #expect(results.prefix(3).allSatisfy { $0.passed })
            #expect(results[3].message == HealthChecker.usersForbidden)
        }
    }

    @Test func anUnreachableHostIsNamed() async throws {
        let results = try await check(draft("http://127.0.0.1:1"))
        #expect(results[0].message == HealthChecker.apiFailed)
        #expect(results[0].tableauError?.hasPrefix("could not reach Tableau at 127.0.0.1:1") == true)
    }

    @Test func aHostThatIsNotTableauShowsWhatItAnswered() async throws {
        let router = Router()
        router.get("**") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/html"],
                body: .init(byteBuffer: ByteBuffer(string: "<html><body><h1>Welcome to nginx!</h1></body></html>"))
            )
        }
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { continuation.yield($0.localAddress?.port ?? 0) }
        )
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await app.run() }
            var iterator = ports.makeAsyncIterator()
            let port = try #require(await iterator.next())
            let results = try await check(draft("http://127.0.0.1:\(port)"))
            #expect(results[0].message == HealthChecker.apiFailed)
            #expect(results[0].tableauError?.contains("Welcome to nginx!") == true)
            group.cancelAll()
        }
    }
}
