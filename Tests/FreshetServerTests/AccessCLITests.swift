import Foundation
import Freshet
import FreshetServer
import Testing
import TableauEmulator

/// `freshet users|content|api` against the emulator: output and the documented exit codes.
@Suite struct AccessCLITests {
    @Test(.timeLimit(.minutes(2)))
    func exitCodesAndOutput() async throws {
        let binary = try #require(ProcessSharingTests.freshetBinary(), "build the freshet product first (scripts/test does)")
        let data = DemoDataDirectory()
        defer { data.remove() }
        try await withEmulator(seed: try DemoSeed.seed()) { emulator in
            _ = try await data.addDemoConnection(emulator)
            let environment = data.processEnvironment()
            func freshet(_ arguments: String...) async throws -> ProcessSharingTests.Finished {
                try await ProcessSharingTests.run(binary, arguments, environment: environment)
            }
            let list = try await freshet("users", "list", "--connection", "demo", "--page-size", "2")
            #expect(list.status == 0 && list.output.hasPrefix("NAME") && list.output.contains("Page 1 of 2 (4 users in all, 2 per page)"), "\(list.output)")

            let provision = try await freshet("users", "provision", "viewer@example.com", "Explorer", "--connection", "demo", "--event-id", "g-1", "--json")
            let result = try JSONDecoder.accessCLI.decode(AccessEventResult.self, from: Data(provision.output.utf8))
            #expect(provision.status == 0 && result.record.status == .applied && result.record.newRole == "Explorer")

            let stale = try await freshet("users", "deprovision", "viewer@example.com", "Viewer", "--connection", "demo")
            #expect(stale.status == 0 && stale.output.hasPrefix("unchanged: ") && stale.output.contains("stale or secondary grant"))

            let unknownUser = try await freshet("users", "provision", "first.timer@example.com", "Viewer", "--connection", "demo")
            #expect(unknownUser.status == 1 && unknownUser.output.contains("sign in to Tableau once"))
            let unknownRole = try await freshet("users", "set-role", "viewer@example.com", "Boss", "--connection", "demo")
            #expect(unknownRole.status == 1 && unknownRole.output.contains("Valid roles: Viewer, Explorer"))

            let session = try await freshet("content", "session", "--connection", "demo", "--json")
            #expect(session.status == 0 && session.output.contains("\"userName\" : \"admin@example.com\""))
            let search = try await freshet("content", "search", "sales", "--connection", "demo")
            #expect(search.status == 0 && search.output.contains("Sales"))

            let versioned = try await freshet("api", "GET", "/api/3.24/sites/{site}/users", "--query", "pageSize=1", "--connection", "demo", "--json")
            #expect(versioned.status == 0 && versioned.output.contains("\"status\" : 200") && versioned.output.contains("\"totalAvailable\""))
            let versionless = try await freshet("api", "GET", "/api/-/search?terms=orders", "--connection", "demo")
            #expect(versionless.status == 0 && versionless.output.contains("Orders"))
            let notFound = try await freshet("api", "GET", "sites/{site}/users/nope", "--connection", "demo")
            #expect(notFound.status == 1 && notFound.output.contains("HTTP 404"))
            let signOut = try await freshet("api", "POST", "auth/signout", "--connection", "demo")
            #expect(signOut.status == 2)
            let noConnection = try await freshet("content", "server-info", "--connection", "nope")
            #expect(noConnection.status == 2 && noConnection.output.contains("No connection named \"nope\""))
        }
        let runtime = try data.runtime()
        _ = try await runtime.connections.add(ConnectionDraft(name: "down", serverURL: "http://127.0.0.1:1", patName: "p", patSecret: "s"), actor: "t")
        let down = try await ProcessSharingTests.run(
            binary, ["content", "server-info", "--connection", "down"],
            environment: ["FRESHET_DATA_DIR": data.directory.path, "FRESHET_MASTER_KEY": data.key, "HOME": data.directory.path]
        )
        #expect(down.status == 5 && down.output.contains("could not reach Tableau"))
    }
}

extension JSONDecoder {
    /// Decodes the CLI's `--json` output (ISO-8601 dates).
    static var accessCLI: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }
}
