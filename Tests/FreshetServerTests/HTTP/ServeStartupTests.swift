import Foundation
import Freshet
import FreshetServer
import Testing

/// Issue 19, observed defects 2 and 3, on the real `freshet serve`: bad settings and unusable
/// data directories stop it with exit code 2 and a message naming what is wrong.
@Suite struct ServeStartupTests {
    func serve(_ data: DemoDataDirectory, _ arguments: [String] = [], _ extra: [String: String] = [:]) async throws -> ProcessSharingTests.Finished {
        let binary = try #require(ProcessSharingTests.freshetBinary(), "build the freshet product first (scripts/test does)")
        return try await ProcessSharingTests.run(binary, ["serve", "--port", "0"] + arguments, environment: data.processEnvironment(extra))
    }

    @Test(arguments: [
        (["FRESHET_LOG_LEVEL": "loud"], "FRESHET_LOG_LEVEL"), (["FRESHET_LEASE_SECONDS": "0"], "FRESHET_LEASE_SECONDS"),
        (["FRESHET_LEASE_SECONDS": "abc"], "FRESHET_LEASE_SECONDS"),
        (["FRESHET_MAX_TABLEAU_JOBS_PER_CONNECTION": "0"], "FRESHET_MAX_TABLEAU_JOBS_PER_CONNECTION"),
        (["FRESHET_MAX_CONCURRENT_REFRESHES": "-5"], "FRESHET_MAX_CONCURRENT_REFRESHES"),
        (["FRESHET_ACCESS_EVENT_SECRET_FILE": "/nonexistent/secret"], "FRESHET_ACCESS_EVENT_SECRET_FILE"),
        (["FRESHET_ACCESS_EVENT_SECRET": "12345"], "FRESHET_ACCESS_EVENT_SECRET"), (["FRESHET_HOST": "999.1.1.1"], "host"),
    ])
    func badEnvironmentSettingsExit2NamingTheSetting(environment: [String: String], name: String) async throws {
        let data = DemoDataDirectory()
        defer { data.remove() }
        let result = try await serve(data, [], environment)
        #expect(result.status == 2 && result.output.contains(name), "\(result.output)")
        #expect(!result.output.contains("listening"))
    }

    @Test func aConfigFileKeyTypoExits2NamingTheKey() async throws {
        let data = DemoDataDirectory()
        defer { data.remove() }
        try FileManager.default.createDirectory(at: data.directory, withIntermediateDirectories: true)
        let file = data.directory.appendingPathComponent("serve.json")
        try #"{"hots":"0.0.0.0"}"#.write(to: file, atomically: true, encoding: .utf8)
        let result = try await serve(data, ["--config", file.path])
        #expect(result.status == 2 && result.output.contains("\"hots\"") && result.output.contains("host, "), "\(result.output)")
    }

    @Test func aPortInUseExits2SayingWhatFailed() async throws {
        let binary = try #require(ProcessSharingTests.freshetBinary(), "build the freshet product first (scripts/test does)")
        let first = DemoDataDirectory()
        let second = DemoDataDirectory()
        defer { first.remove(); second.remove() }
        let running = try await ServeProcess(binary, environment: first.processEnvironment())
        let result = try await ProcessSharingTests.run(binary, ["serve", "--port", String(running.port)], environment: second.processEnvironment())
        _ = await running.terminate()
        #expect(result.status == 2 && result.output.contains("could not listen on 127.0.0.1:\(running.port)"), "\(result.output)")
        #expect(!result.output.contains("could not recover refresh runs"))
    }
}

/// Issue 19, observed defect 3: keys and files of the data directory.
@Suite struct DataDirectoryTests {
    @Test func aMissingKeyFileIsNotReplacedWhileTheDatabaseHoldsSealedSecrets() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("freshet-key-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let runtime = try FreshetRuntime(dataDirectory: directory, environment: [:])
        _ = try await runtime.connections.add(
            ConnectionDraft(name: "prod", serverURL: "https://tableau.example.com", patName: "pat", patSecret: "pat-secret-value-1234"), actor: "test")
        let keyId = runtime.keyring.current.id
        try FileManager.default.removeItem(at: directory.appendingPathComponent(KeySource.fileName))
        #expect { try FreshetRuntime(dataDirectory: directory, environment: [:]) } throws: { error in
            let text = "\(error)"
            return text.contains(keyId) && text.contains(directory.appendingPathComponent(KeySource.fileName).path)
        }
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent(KeySource.fileName).path))
        // The wrong key from the environment is refused too, naming the key id.
        #expect { try FreshetRuntime(dataDirectory: directory, environment: [KeySource.environmentKey: MasterKey.generate().base64]) } throws: {
            "\($0)".contains(keyId)
        }
    }

    @Test func anEmptyOrForeignDatabaseFileIsRefused() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("freshet-db-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        _ = try FreshetRuntime(dataDirectory: directory, environment: [:])
        let database = directory.appendingPathComponent(FreshetRuntime.databaseFileName)
        for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: database.path + suffix) }
        try Data().write(to: database)
        #expect { try FreshetRuntime(dataDirectory: directory, environment: [:]) } throws: { "\($0)".contains("empty (0 bytes)") }
        try Data("not a database at all, just text".utf8).write(to: database)
        #expect { try FreshetRuntime(dataDirectory: directory, environment: [:]) } throws: { "\($0)".contains("not a SQLite database") }
    }

    @Test func everyFileIsOwnerOnly() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("freshet-modes-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let runtime = try FreshetRuntime(dataDirectory: directory, environment: [:])
        _ = try await runtime.tokens.createInitialAdminIfNone()
        for name in [KeySource.fileName, "freshet.sqlite", "freshet.sqlite-wal", "freshet.sqlite-shm"] {
            let path = directory.appendingPathComponent(name).path
            let mode = try #require(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber).intValue
            #expect(mode & 0o077 == 0, "\(name) has mode \(String(mode, radix: 8))")
        }
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: directory.appendingPathComponent(KeySource.fileName).path)
        #expect(DataDirectoryModes.widerModes(in: directory).map(\.path) == [directory.appendingPathComponent(KeySource.fileName).path])
    }
}
