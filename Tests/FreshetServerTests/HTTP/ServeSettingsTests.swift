import Foundation
import Freshet
import FreshetServer
import Testing

@Suite struct ServeSettingsTests {
    func configFile(_ json: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("freshet-serve-\(UUID().uuidString).json").path
        try json.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func defaults() async throws {
        let settings = try await ServeSettings.resolve(flags: .init(), environment: [:], configFile: nil)
        #expect(settings == ServeSettings(host: "127.0.0.1", port: 8080, dataDirectory: nil, logFormat: .text, logLevel: "info"))
    }

    @Test func flagsBeatEnvironmentWhichBeatsTheFile() async throws {
        let file = try configFile(#"{"host":"file-host","port":7000,"dataDir":"/file","logFormat":"json","logLevel":"debug"}"#)
        defer { try? FileManager.default.removeItem(atPath: file) }
        let fromFile = try await ServeSettings.resolve(flags: .init(), environment: [:], configFile: file)
        #expect(fromFile == ServeSettings(host: "file-host", port: 7000, dataDirectory: "/file", logFormat: .json, logLevel: "debug"))
        let environment = ["FRESHET_HOST": "env-host", "FRESHET_PORT": "7100", "FRESHET_DATA_DIR": "/env", "FRESHET_LOG_FORMAT": "text"]
        let fromEnvironment = try await ServeSettings.resolve(flags: .init(), environment: environment, configFile: file)
        #expect(fromEnvironment == ServeSettings(host: "env-host", port: 7100, dataDirectory: "/env", logFormat: .text, logLevel: "debug"))
        let fromFlags = try await ServeSettings.resolve(
            flags: .init(host: "flag-host", port: 0, dataDirectory: "/flag", logFormat: "json"), environment: environment, configFile: file)
        #expect(fromFlags == ServeSettings(host: "flag-host", port: 0, dataDirectory: "/flag", logFormat: .json, logLevel: "debug"))
    }

    @Test func badValuesAreRefusedByName() async throws {
        await #expect(throws: ServeSettings.Invalid.self) {
            try await ServeSettings.resolve(flags: .init(), environment: ["FRESHET_PORT": "eighty"], configFile: nil)
        }
        await #expect(throws: ServeSettings.Invalid.self) {
            try await ServeSettings.resolve(flags: .init(logFormat: "xml"), environment: [:], configFile: nil)
        }
        await #expect(throws: ServeSettings.Invalid.self) {
            try await ServeSettings.resolve(flags: .init(), environment: [:], configFile: "/nonexistent/freshet.json")
        }
        let broken = try configFile("{not json")
        defer { try? FileManager.default.removeItem(atPath: broken) }
        await #expect(throws: ServeSettings.Invalid.self) {
            try await ServeSettings.resolve(flags: .init(), environment: [:], configFile: broken)
        }
    }

    /// Issue 19: nothing is accepted silently.
    @Test func typosAndBadValuesAreRefusedNamingTheSettingAndAcceptedValues() async throws {
        let typo = try configFile(#"{"host":"127.0.0.1","prot":8080}"#)
        defer { try? FileManager.default.removeItem(atPath: typo) }
        await #expect { try await ServeSettings.resolve(flags: .init(), environment: [:], configFile: typo) } throws: {
            "\($0)".contains("\"prot\"") && "\($0)".contains("port")
        }
        await #expect { try await ServeSettings.resolve(flags: .init(), environment: ["FRESHET_LOG_LEVEL": "loud"], configFile: nil) } throws: {
            "\($0)".contains("FRESHET_LOG_LEVEL") && "\($0)".contains("warning")
        }
        for host in ["999.1.1.1", "bad host", ""] {
            await #expect(throws: ServeSettings.Invalid.self) { try await ServeSettings.resolve(flags: .init(host: host), environment: [:], configFile: nil) }
        }
        for host in ["0.0.0.0", "::", "::1", "localhost", "freshet.internal"] {
            _ = try await ServeSettings.resolve(flags: .init(host: host), environment: [:], configFile: nil)
        }
        for (variable, value) in [("FRESHET_LEASE_SECONDS", "0"), ("FRESHET_LEASE_SECONDS", "abc"), ("FRESHET_MAX_CONCURRENT_REFRESHES", "0"),
            ("FRESHET_MAX_TABLEAU_JOBS_PER_CONNECTION", "-5"), ("FRESHET_ENGINE_WORKERS", "many")]
        {
            #expect { try FreshetRuntime.refreshConfiguration(environment: [variable: value]) } throws: { "\($0)".contains(variable) }
        }
        #expect(try FreshetRuntime.refreshConfiguration(environment: ["FRESHET_LEASE_SECONDS": "2.5"]).leaseDuration == .milliseconds(2500))
        // A site without a job limit may take 10,000 jobs at once (the scale benchmark); beyond 100,000 is a typo.
        #expect(try FreshetRuntime.refreshConfiguration(environment: ["FRESHET_MAX_TABLEAU_JOBS_PER_CONNECTION": "10000"]).maxTableauJobsPerConnection == 10_000)
        #expect { try FreshetRuntime.refreshConfiguration(environment: ["FRESHET_MAX_TABLEAU_JOBS_PER_CONNECTION": "100001"]) } throws: {
            "\($0)".contains("from 1 to 100000")
        }
        #expect(throws: AccessError.self) { try FreshetRuntime.accessEventSecret(environment: ["FRESHET_ACCESS_EVENT_SECRET": "12345"]) }
        #expect(throws: AccessError.self) { try FreshetRuntime.accessEventSecret(environment: ["FRESHET_ACCESS_EVENT_SECRET_FILE": "/nonexistent"]) }
    }
}
