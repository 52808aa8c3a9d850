import Foundation
import Freshet
import FreshetSQLite
import FreshetServer
import Testing

/// `serve` and `worker` with `--no-migrate` on SQLite: a missing or older database is refused
/// (exit 2, saying to run `freshet migrate`) and left as it was; once migrated, they start.
@Suite struct NoMigrateTests {
    @Test(.timeLimit(.minutes(2)))
    func serveAndWorkerRefuseAMissingOrOlderSQLiteDatabaseUntilItIsMigrated() async throws {
        let binary = try #require(ProcessSharingTests.freshetBinary(), "build the freshet product first (scripts/test does)")
        let data = DemoDataDirectory()
        defer { data.remove() }
        let path = data.directory.appendingPathComponent(FreshetRuntime.databaseFileName).path
        let commands = [["serve", "--port", "0", "--no-migrate"], ["worker", "--no-migrate"]]

        for command in commands {
            let refused = try await ProcessSharingTests.run(binary, command, environment: data.processEnvironment())
            #expect(refused.status == 2 && refused.output.contains("does not exist"), "\(command[0]): \(refused.output)")
        }
        #expect(!FileManager.default.fileExists(atPath: path))

        try SQLiteDatabase(path: path, migratingUpTo: "v1_sessions").close()
        for command in commands {
            let refused = try await ProcessSharingTests.run(binary, command, environment: data.processEnvironment())
            #expect(refused.status == 2, "\(command[0]): \(refused.output)")
            #expect(refused.output.contains(#"is at schema version "v1_sessions""#) && refused.output.contains("run `freshet migrate`"), "\(refused.output)")
        }
        let old = try SQLiteDatabase(path: path, migratingUpTo: "v1_sessions")
        #expect(try await old.schemaVersion() == "v1_sessions")
        try old.close()

        let migrated = try await ProcessSharingTests.run(binary, ["migrate"], environment: data.processEnvironment())
        #expect(migrated.status == 0, "\(migrated.output)")
        let worker = try await FreshetDaemon(binary, commands[1], environment: data.processEnvironment(), startsWith: "Freshet worker driving refresh runs")
        #expect(await worker.terminate() == 0, "\(worker.log)")
        let serve = try await FreshetDaemon(binary, commands[0], environment: data.processEnvironment(), startsWith: "Freshet listening on")
        #expect(await serve.terminate() == 0, "\(serve.log)")
    }
}
