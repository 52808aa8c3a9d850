import Foundation
import Freshet
import FreshetServer
import TableauEmulator
import Testing

/// The CLI's commands over `--server` read and send the API's generated types; they print what
/// the same commands print on the local database (tables and JSON, byte for byte), end with the
/// same exit status, and their writes change what a local command would.
@Suite struct RemoteCLIParityTests {
    @Test(.timeLimit(.minutes(2)))
    func remoteCommandsPrintWhatLocalOnesPrint() async throws {
        try await withServedDemo { binary, _, runtime, data, elsewhere in
            let (_, admin) = try await runtime.tokens.create(
                name: "ops", scopes: [.refresh, .read, .auditRead, .connectionsAdmin], allowList: .everything, actor: "test")
            let api = RunFixture.api(runtime)
            try await withSocketServer(FreshetHTTPServer(api: api)) { port in
                let server = "http://127.0.0.1:\(port)"
                func local(_ arguments: [String]) async throws -> ProcessSharingTests.Finished {
                    try await ProcessSharingTests.run(binary, arguments, environment: data.processEnvironment())
                }
                func remote(_ arguments: [String], _ extra: [String: String] = [:]) async throws -> ProcessSharingTests.Finished {
                    try await ProcessSharingTests.run(binary, arguments + ["--server", server, "--token", admin], environment: elsewhere.processEnvironment(extra))
                }

                // Writes over HTTP (generated request bodies), then the same reads both ways.
                let route = try await remote(
                    ["alerts", "route", "add", "ops", "--format", "webhook", "--url", "https://ops.example.com/freshet", "--kind", "run.failed"],
                    ["FRESHET_ALERT_SECRET": "a-webhook-secret-of-32-characters"])
                #expect(route.status == 0 && route.output.contains("Alert route ops added (webhook to https://ops.example.com)"), "\(route.output)")
                #expect(!route.output.contains("a-webhook-secret"), "\(route.output)")
                let warnings = try await remote(["freshness", "warnings", "enable", "--connection", "demo"])
                #expect(warnings.status == 0 && warnings.output.contains("Data quality warnings on for demo"), "\(warnings.output)")
                let refreshed = try await remote(["refresh", "--connection", "demo", "--datasource", "Quick", "--datasource", "Broken", "--wait"])
                #expect(refreshed.status == 1, "\(refreshed.output)")
                let policy = try await remote(["freshness", "policy", "set", "--connection", "demo", "--datasource", "Quick", "--max-age", "6h"])
                #expect(policy.status == 0 && policy.output.contains("data source Quick on demo may be at most 6h old"), "\(policy.output)")
                let reported = try await remote(
                    [
                        "pipeline-events", "report", "--connection", "demo", "--pipeline", "etl", "--status", "succeeded", "--target", "datasource:Quick",
                        "--event-id", "e1",
                    ])
                #expect(reported.status == 0, "\(reported.output)")
                #expect(try await runtime.store.alertRoutes().map(\.name) == ["ops"])
                #expect(try await runtime.store.freshnessPolicies().map(\.maxAgeSeconds) == [21_600])
                #expect(try await runtime.store.warningConnections().count == 1)

                let reads: [[String]] = [
                    ["connection", "list"], ["connection", "show", "demo"], ["audit", "--limit", "200"], ["freshness", "--stale"],
                    ["freshness", "policy", "list"], ["freshness", "warnings", "list"], ["alerts", "route", "list"], ["alerts", "list"],
                    ["pipeline-events", "list"],
                ]
                // Reads change nothing, so both modes and both formats run at once.
                for command in reads {
                    async let textHere = local(command)
                    async let textThere = remote(command)
                    async let jsonHere = local(command + ["--json"])
                    async let jsonThere = remote(command + ["--json"])
                    let text = (try await textHere, try await textThere)
                    let json = (try await jsonHere, try await jsonThere)
                    for (arguments, (here, there)) in [(command, text), (command + ["--json"], json)] {
                        #expect(here.status == 0 && there.status == here.status, "\(arguments): \(here.output) / \(there.output)")
                        #expect(there.output == here.output, "freshet \(arguments.joined(separator: " "))")
                    }
                }
                let deliveries = try await remote(["alerts", "list", "--json"])
                #expect(deliveries.output.contains("\"kind\" : \"run.failed\""), "\(deliveries.output)")
                // Ages move between the two commands; everything else is the same.
                async let hereAll = local(["freshness", "--json"])
                let thereAll = try await remote(["freshness", "--json"])
                #expect(try Self.withoutAges(thereAll.output) == Self.withoutAges(try await hereAll.output))
                #expect(try Self.withoutAges(thereAll.output).count == 2)

                let checked = (try await local(["connection", "check", "demo"]), try await remote(["connection", "check", "demo"]))
                #expect(checked.0.status == 0 && checked.1.status == 0 && checked.1.output == checked.0.output, "\(checked.1.output)")

                // Refusals keep their exit status; the server's problem is printed.
                async let missingHere = local(["connection", "show", "nope"])
                let missing = (try await missingHere, try await remote(["connection", "show", "nope"]))
                #expect(missing.0.status == 2 && missing.1.status == 2 && missing.1.output.contains("nope"), "\(missing.1.output)")
                let noPolicy = try await remote(["freshness", "policy", "remove", "--connection", "demo", "--project", "Nowhere"])
                #expect(noPolicy.status == 2, "\(noPolicy.output)")

                // And the remaining writes.
                let removedPolicy = try await remote(["freshness", "policy", "remove", "--connection", "demo", "--datasource", "Quick"])
                #expect(removedPolicy.status == 0 && removedPolicy.output.contains("Freshness policy removed."), "\(removedPolicy.output)")
                let off = try await remote(["freshness", "warnings", "disable", "--connection", "demo"])
                #expect(off.status == 0 && off.output.contains("Data quality warnings off for demo"), "\(off.output)")
                let removedRoute = try await remote(["alerts", "route", "remove", "ops"])
                #expect(removedRoute.status == 0 && removedRoute.output.contains("Alert route ops removed."), "\(removedRoute.output)")
                #expect(try await runtime.store.alertRoutes().isEmpty)
                #expect(try await runtime.store.freshnessPolicies().isEmpty)
                #expect(try await runtime.store.warningConnections().isEmpty)
            }
            await api.engine.shutdown()
            #expect(try await elsewhere.runtime().store.alertRoutes().isEmpty)
        }
    }

    /// The items of `freshness --json` without their ages, as comparable text.
    static func withoutAges(_ output: String) throws -> [String] {
        let items = try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [[String: Any]], "\(output)")
        return try items.map { item in
            var item = item
            item["ageSeconds"] = nil
            return String(decoding: try JSONSerialization.data(withJSONObject: item, options: [.sortedKeys]), as: UTF8.self)
        }
    }
}
