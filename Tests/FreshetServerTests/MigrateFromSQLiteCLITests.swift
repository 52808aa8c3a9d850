import Foundation
import FreshetPostgres
import Testing

/// `freshet migrate --from-sqlite DIR`: its output, exit codes and refusals, against a database of
/// its own on the tests' PostgreSQL server (`FRESHET_TEST_POSTGRES_URL`, started by scripts/test).
@Suite(.enabled(if: ProcessInfo.processInfo.environment["FRESHET_TEST_SKIP_POSTGRES"] != "1" || ProcessInfo.processInfo.environment["CI"] == "true"))
struct MigrateFromSQLiteCLITests {
    @Test(.timeLimit(.minutes(3)))
    func copiesOnceIntoAnEmptyDatabaseAndRefusesAgain() async throws {
        let binary = try #require(ProcessSharingTests.freshetBinary(), "build the freshet product first (scripts/test does)")
        let server = try #require(
            ProcessInfo.processInfo.environment["FRESHET_TEST_POSTGRES_URL"], "FRESHET_TEST_POSTGRES_URL is not set: run the tests through scripts/test")
        let admin = try PostgresDatabase(url: try PostgresURL(parsing: server))
        let pool = Task { try? await admin.run() }
        defer { pool.cancel() }
        let name = "freshet_cli_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(12)
        _ = try await admin.rawRows("CREATE DATABASE \(name)")
        var components = try #require(URLComponents(string: server))
        components.path = "/\(name)"
        let target = try #require(components.string)

        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("freshet-copy-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let secret = "pat-secret-to-copy-4F"
        let environment = ["FRESHET_DATA_DIR": directory.path, "PAT_SECRET": secret, "HOME": directory.path, "PATH": "/usr/bin:/bin"]
        let add = try await ProcessSharingTests.run(
            binary, ["connection", "add", "prod", "--server", "https://tableau.example.com/", "--pat-name", "freshet", "--pat-secret-env", "PAT_SECRET"],
            environment: environment)
        #expect(add.status == 0, "\(add.output)")

        let copy = ["migrate", "--from-sqlite", directory.path, "--database", target]
        let dryRun = try await ProcessSharingTests.run(binary, copy + ["--dry-run"], environment: environment)
        #expect(dryRun.status == 0 && dryRun.output.contains("connections: 1 row") && dryRun.output.contains("rolled back"), "\(dryRun.output)")
        let copied = try await ProcessSharingTests.run(binary, copy, environment: environment)
        #expect(copied.status == 0 && copied.output.contains("audit_log: 1 row") && copied.output.contains("Copied"), "\(copied.output)")
        let again = try await ProcessSharingTests.run(binary, copy, environment: environment)
        #expect(again.status == 3 && again.output.contains("not empty"), "\(again.output)")

        // The copy opens with the data directory's key: the secret's last characters show.
        let list = try await ProcessSharingTests.run(binary, ["connection", "list", "--database", target], environment: environment)
        #expect(list.status == 0 && list.output.contains("••••••••y-4F"), "\(list.output)")
        for output in [dryRun.output, copied.output, again.output, list.output] { #expect(!output.contains(secret)) }

        let missing = try await ProcessSharingTests.run(binary, ["migrate", "--from-sqlite", directory.appendingPathComponent("none").path, "--database", target],
                                                        environment: environment)
        #expect(missing.status == 2 && missing.output.contains("There is no Freshet database"), "\(missing.output)")
        let noTarget = try await ProcessSharingTests.run(binary, ["migrate", "--from-sqlite", directory.path], environment: environment)
        #expect(noTarget.status == 2 && noTarget.output.contains("--database"), "\(noTarget.output)")
        _ = try? await admin.rawRows("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
    }
}
