import Foundation
import FreshetServer
import Testing

/// Unknown `FRESHET_…` environment variables are warned about, naming the closest setting (issue 19).
@Suite struct EnvironmentVariablesTests {
    @Test func aMisspeltVariableIsNamedWithTheClosestSetting() {
        let warnings = EnvironmentVariables.warnings([
            "FRESHET_LOG_LEVLE": "debug", "FRESHET_MAX_CONCURENT_REFRESHES": "4", "FRESHET_PORT": "8080", "FRESHET_BIN": "/usr/bin/freshet",
            "PATH": "/usr/bin", "freshet_port": "1",
        ])
        #expect(warnings.count == 2)
        #expect(warnings.first?.hasPrefix("FRESHET_LOG_LEVLE is not a Freshet setting and is ignored (the closest one is FRESHET_LOG_LEVEL)") == true)
        #expect(warnings.last?.hasPrefix("FRESHET_MAX_CONCURENT_REFRESHES is not a Freshet setting and is ignored (the closest one is FRESHET_MAX_CONCURRENT_REFRESHES)") == true)
        #expect(EnvironmentVariables.warnings(["FRESHET_DATA_DIR": "/d", "FRESHET_TOKEN": "t", "HOME": "/root"]).isEmpty)
    }

    /// Every `FRESHET_…` name the sources mention is a known setting (or tooling), so a setting
    /// added without its name here fails this test instead of being warned about in production.
    @Test func everyVariableTheSourcesReadIsKnown() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let sources = root.appendingPathComponent("Sources")
        let files = try #require(FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil)).compactMap { $0 as? URL }
            .filter { $0.pathExtension == "swift" }
        #expect(files.count > 100)
        var unknown: Set<String> = []
        let nameCharacters = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")
        for file in files {
            let text = try String(contentsOf: file, encoding: .utf8)
            var rest = text[...]
            while let range = rest.range(of: "FRESHET_") {
                let name = "FRESHET_" + rest[range.upperBound...].prefix { nameCharacters.contains($0) }
                rest = rest[range.upperBound...]
                guard name.count > "FRESHET_".count, !name.hasSuffix("_") else { continue }
                if !EnvironmentVariables.settings.contains(name) && !EnvironmentVariables.tooling.contains(name) { unknown.insert(name) }
            }
        }
        #expect(unknown.isEmpty, "add these to EnvironmentVariables.settings: \(unknown.sorted())")
    }

    @Test(.timeLimit(.minutes(2)))
    func theCommandLineWarnsOnStandardError() async throws {
        let binary = try #require(ProcessSharingTests.freshetBinary(), "build the freshet product first (scripts/test does)")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("freshet-env-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let environment = ["FRESHET_DATA_DIR": directory.path, "FRESHET_DATADIR": "/elsewhere", "HOME": directory.path, "PATH": "/usr/bin:/bin"]
        let list = try await ProcessSharingTests.run(binary, ["connection", "list"], environment: environment)
        #expect(list.status == 0, "\(list.output)")
        #expect(list.output.contains("warning: FRESHET_DATADIR is not a Freshet setting and is ignored (the closest one is FRESHET_DATA_DIR)"))
    }
}
