import Foundation
import Freshet
import FreshetServer
import Testing
import TableauEmulator

/// Twenty real `freshet` processes on one PAT and one data directory (the connections issue's
/// proof): exactly one sign-in reaches Tableau, and none of them sees a 401.
@Suite struct ProcessSharingTests {
    /// The `freshet` binary built next to this test bundle (or `FRESHET_BIN`).
    static func freshetBinary() -> URL? {
        if let path = ProcessInfo.processInfo.environment["FRESHET_BIN"] { return URL(fileURLWithPath: path) }
        let besideTests = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("freshet")
        if FileManager.default.isExecutableFile(atPath: besideTests.path) { return besideTests }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let debug = root.appendingPathComponent(".build/debug/freshet")
        return FileManager.default.isExecutableFile(atPath: debug.path) ? debug : nil
    }

    struct Finished: Sendable {
        var status: Int32
        var output: String
    }

    /// Runs `freshet` with `arguments` and `environment`, collecting stdout and stderr.
    static func run(_ binary: URL, _ arguments: [String], environment: [String: String]) async throws -> Finished {
        let child = try ChildProcess(binary, arguments, environment: environment, stdout: .pipe, stderr: .standardOutput)
        let output = await child.outputToEnd()
        return Finished(status: await child.exitStatus(), output: String(decoding: output, as: UTF8.self))
    }

    @Test(.timeLimit(.minutes(3)))
    func twentyProcessesOnOnePATSignInOnce() async throws {
        let binary = try #require(Self.freshetBinary(), "build the freshet product first (scripts/test does)")
        let data = DemoDataDirectory()
        defer { data.remove() }
        try await withEmulator(seed: try DemoSeed.seed()) { emulator in
            _ = try await data.addDemoConnection(emulator)
            let environment = data.processEnvironment()
            let results = try await withThrowingTaskGroup(of: Finished.self) { group in
                for _ in 0..<20 { group.addTask { try await Self.run(binary, ["connection", "check", "demo"], environment: environment) } }
                return try await group.reduce(into: [Finished]()) { $0.append($1) }
            }
            for result in results {
                #expect(result.status == 0, "freshet exited \(result.status): \(result.output)")
                #expect(result.output.contains("PAT can list site users (4 total)."))
                #expect(!result.output.contains("demo-admin-pat-secret"))
            }
            let log = emulator.state.recordedRequests()
            #expect(log.filter { $0.path.hasSuffix("/auth/signin") }.count == 1)
            #expect(log.filter { $0.status == 401 }.isEmpty)
        }
    }
}
