import Foundation
import Freshet
import Testing

/// What `freshet connection …` and `freshet audit` print: masked secrets, exact messages, exit codes.
@Suite struct CLIOutputTests {
    @Test(.timeLimit(.minutes(2)))
    func noCommandPrintsASecret() async throws {
        let binary = try #require(ProcessSharingTests.freshetBinary(), "build the freshet product first (scripts/test does)")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("freshet-cli-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let secret = "very-secret-pat-value-7Q2Z"
        let environment = ["FRESHET_DATA_DIR": directory.path, "PAT_SECRET": secret, "HOME": directory.path, "PATH": "/usr/bin:/bin"]
        let add = try await ProcessSharingTests.run(
            binary, ["connection", "add", "prod", "--server", "https://tableau.example.com/", "--site", "marketing", "--pat-name", "freshet", "--pat-secret-env", "PAT_SECRET"],
            environment: environment
        )
        #expect(add.status == 0, "\(add.output)")
        #expect(add.output.contains("PAT secret: ••••••••7Q2Z") && add.output.contains("PAT name:  freshet"))
        var outputs = [add.output]
        // `--data-dir` works in place of FRESHET_DATA_DIR.
        var withoutVariable = environment
        withoutVariable["FRESHET_DATA_DIR"] = nil
        for arguments in [["connection", "show", "prod", "--json"], ["connection", "list"], ["connection", "edit", "prod", "--site", ""], ["audit", "--json"]] {
            let result = try await ProcessSharingTests.run(binary, arguments + ["--data-dir", directory.path], environment: withoutVariable)
            #expect(result.status == 0, "\(arguments): \(result.output)")
            outputs.append(result.output)
        }
        #expect(outputs[2].hasPrefix("NAME  SERVER") && outputs[2].contains("PAT freshet") && outputs[2].contains("••••••••7Q2Z"))
        #expect(outputs[3].contains("Default site"))
        for output in outputs { #expect(!output.contains(secret)) }
        let database = try Data(contentsOf: directory.appendingPathComponent("freshet.sqlite"))
        #expect(database.range(of: Data(secret.utf8)) == nil)

        let missing = try await ProcessSharingTests.run(
            binary, ["connection", "add", "other", "--server", "", "--pat-name", "x", "--secret-env", "PAT_SECRET"], environment: environment
        )
        #expect(missing.status == 2 && missing.output.contains("Server URL is required"))
        let noSecret = try await ProcessSharingTests.run(binary, ["connection", "add", "other", "--server", "h", "--pat-name", "x"], environment: environment)
        #expect(noSecret.status == 2 && noSecret.output.contains("Personal Access Token secret is required"))
    }

    @Test(.timeLimit(.minutes(2)))
    func aSecretReferenceIsShownAsWrittenAndItsValueNever() async throws {
        let binary = try #require(ProcessSharingTests.freshetBinary(), "build the freshet product first (scripts/test does)")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("freshet-cli-ref-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let secret = "pat-value-behind-a-reference-9K"
        let environment = ["FRESHET_DATA_DIR": directory.path, "TABLEAU_PAT": secret, "HOME": directory.path, "PATH": "/usr/bin:/bin"]
        let add = try await ProcessSharingTests.run(
            binary, ["connection", "add", "prod", "--server", "https://tableau.example.com/", "--pat-name", "freshet", "--pat-secret-ref", "env:TABLEAU_PAT",
                     "--keep-alive-days", "7"],
            environment: environment)
        #expect(add.status == 0, "\(add.output)")
        #expect(add.output.contains("PAT secret: read from env:TABLEAU_PAT at sign-in") && add.output.contains("keep-alive:    every 7 days"))
        let show = try await ProcessSharingTests.run(binary, ["connection", "show", "prod", "--json"], environment: environment)
        #expect(show.status == 0 && show.output.contains("env:TABLEAU_PAT") && show.output.contains("secretRef"))
        let list = try await ProcessSharingTests.run(binary, ["connection", "list"], environment: environment)
        #expect(list.output.contains("env:TABLEAU_PAT"))
        for output in [add.output, show.output, list.output] { #expect(!output.contains(secret)) }
        let both = try await ProcessSharingTests.run(
            binary, ["connection", "add", "other", "--server", "h", "--pat-name", "x", "--pat-secret-env", "TABLEAU_PAT", "--pat-secret-ref", "env:X"],
            environment: environment)
        #expect(both.status == 2 && both.output.contains("not both"))
        let relative = try await ProcessSharingTests.run(
            binary, ["connection", "add", "other", "--server", "h", "--pat-name", "x", "--pat-secret-ref", "file:pat.txt"], environment: environment)
        #expect(relative.status == 2 && relative.output.contains("file: needs an absolute path"))
    }
}
