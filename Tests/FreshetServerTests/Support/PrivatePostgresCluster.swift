import Foundation
import Freshet

/// A PostgreSQL cluster of one test's own (`scripts/postgres-test-cluster`: initdb in a temporary
/// directory, a free loopback port), so that the test may restart it without disturbing the
/// suites that share the cluster `scripts/test` started. Stop it when done.
struct PrivatePostgresCluster: Sendable {
    /// `postgres://freshet@127.0.0.1:PORT/freshet_test?sslmode=disable`.
    let url: String
    /// The cluster's directory (data, socket, server log).
    let directory: String

    /// Whether a developer asked to leave PostgreSQL out (`FRESHET_TEST_SKIP_POSTGRES=1` without
    /// `FRESHET_TEST_POSTGRES_URL`, outside CI), as the store-conformance suite does.
    static var skipped: Bool {
        let environment = ProcessInfo.processInfo.environment
        return environment["FRESHET_TEST_SKIP_POSTGRES"] == "1" && environment["CI"] != "true"
            && (environment["FRESHET_TEST_POSTGRES_URL"] ?? "").isEmpty
    }

    /// Starts a new cluster with an empty database `freshet_test`.
    static func start() async throws -> PrivatePostgresCluster {
        let output = try await script(["start"])
        func exported(_ name: String) -> String? {
            output.split(separator: "\n").lazy.compactMap { line -> String? in
                let prefix = "export \(name)='"
                guard line.hasPrefix(prefix), line.hasSuffix("'") else { return nil }
                return String(line.dropFirst(prefix.count).dropLast())
            }.first
        }
        guard let url = exported("FRESHET_TEST_POSTGRES_URL"), let directory = exported("FRESHET_TEST_POSTGRES_DIR") else {
            throw StoreError("scripts/postgres-test-cluster start printed no cluster: \(output)")
        }
        return PrivatePostgresCluster(url: url, directory: directory)
    }

    /// Stops the server (fast: open sessions end) and starts it again on the same port and data.
    func restart() async throws {
        _ = try await Self.script(["restart", directory])
    }

    /// Stops the server (fast: open sessions end), keeping its data for ``startAgain()``.
    func stopServer() async throws {
        _ = try await Self.script(["stop-server", directory])
    }

    /// Starts the stopped server again on the same port and data.
    func startAgain() async throws {
        _ = try await Self.script(["start-again", directory])
    }

    /// Stops the server and removes the cluster.
    func stop() async {
        _ = try? await Self.script(["stop", directory])
    }

    /// Runs the script with `arguments`; its output, or an error with it when it fails.
    private static func script(_ arguments: [String]) async throws -> String {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let script = root.appendingPathComponent("scripts/postgres-test-cluster").path
        var environment = ["PATH": "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin"]
        if let bin = ProcessInfo.processInfo.environment["POSTGRES_BIN"] { environment["POSTGRES_BIN"] = bin }
        let child = try ChildProcess(URL(fileURLWithPath: "/bin/bash"), [script] + arguments, environment: environment, stdout: .pipe, stderr: .standardOutput)
        let output = String(decoding: await child.outputToEnd(), as: UTF8.self)
        let status = await child.exitStatus()
        guard status == 0 else { throw StoreError("scripts/postgres-test-cluster \(arguments.joined(separator: " ")) exited \(status): \(output)") }
        return output
    }
}
