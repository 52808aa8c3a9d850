import Foundation
import Freshet
import FreshetServer
import TableauEmulator
import Testing

/// `freshet pipeline-events report|list`, the real binary: on the local database (tables resolved
/// through the emulator's lineage) and as a client of a running server (`--server`/`--token`).
@Suite struct PipelineEventsCLITests {
    @Test(.timeLimit(.minutes(2)))
    func reportAndListOnTheLocalDatabase() async throws {
        let binary = try #require(ProcessSharingTests.freshetBinary(), "build the freshet product first (scripts/test does)")
        let data = DemoDataDirectory()
        defer { data.remove() }
        try await withEmulator(seed: try RefreshSeed.seed()) { emulator in
            let runtime = try await data.addDemoConnection(emulator)
            let environment = data.processEnvironment()
            func freshet(_ arguments: [String]) async throws -> ProcessSharingTests.Finished {
                try await ProcessSharingTests.run(binary, arguments, environment: environment)
            }
            // No --connection: the only connection.
            let failed = try await freshet([
                "pipeline-events", "report", "--pipeline", "nightly_orders", "--status", "failed", "--table", "warehouse.public.orders",
                "--reason", "task load_orders failed", "--event-id", "e1",
            ])
            #expect(failed.status == 0, "\(failed.output)")
            #expect(failed.output.contains("Pipeline nightly_orders failed (event e1): 4 items marked stale"), "\(failed.output)")
            #expect(failed.output.contains("data source Default/Quick"), "\(failed.output)")
            let stale = try await runtime.store.freshness(FreshnessQuery()).filter { $0.pipelineFailure?.pipeline == "nightly_orders" }
            #expect(stale.map(\.item.name).sorted() == ["Board", "Live", "Live Board", "Quick"])
            #expect(stale.allSatisfy { $0.pipelineFailure?.reason == "task load_orders failed" })
            #expect(emulator.refreshCalls() == 0)

            let repeated = try await freshet([
                "pipeline-events", "report", "--connection", "demo", "--pipeline", "nightly_orders", "--status", "failed", "--table",
                "warehouse.public.orders", "--event-id", "e1", "--json",
            ])
            #expect(repeated.status == 0, "\(repeated.output)")
            let answer = try JSONSerialization.jsonObject(with: Data(repeated.output.utf8)) as? [String: Any]
            #expect(answer?["repeated"] as? Bool == true)
            let reused = try await freshet([
                "pipeline-events", "report", "--pipeline", "nightly_orders", "--status", "succeeded", "--table", "warehouse.public.orders", "--event-id", "e1",
            ])
            #expect(reused.status == 2 && reused.output.contains("already used for another event"), "\(reused.output)")

            let succeeded = try await freshet([
                "pipeline-events", "report", "--pipeline", "nightly_orders", "--status", "succeeded", "--target", "datasource:Quick", "--event-id", "e2",
            ])
            #expect(succeeded.status == 0 && succeeded.output.contains("1 item cleared of nightly_orders's failure"), "\(succeeded.output)")
            let quick = try await runtime.store.freshness(FreshnessQuery()).first { $0.item.name == "Quick" }
            #expect(quick != nil && quick?.pipelineFailure == nil)

            let listed = try await freshet(["pipeline-events", "list"])
            #expect(listed.status == 0, "\(listed.output)")
            let lines = listed.output.split(separator: "\n")
            #expect(lines.count == 3 && lines[0].hasPrefix("RECEIVED") && lines[1].contains("e2") && lines[2].contains("e1"), "\(listed.output)")
            let json = try await freshet(["pipeline-events", "list", "--json", "--connection", "demo"])
            let events = try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [[String: Any]]
            #expect(events?.compactMap { $0["eventId"] as? String } == ["e2", "e1"])

            for (arguments, message) in [
                (["--status", "broken", "--table", "a.b.c"], "--status must be failed or succeeded"),
                (["--status", "failed"], "Name what the pipeline feeds"),
                (["--status", "failed", "--table", "orders"], "write the table as database.schema.table"),
                (["--status", "failed", "--target", "Quick"], "write datasource:NAME"),
            ] {
                let refused = try await freshet(["pipeline-events", "report", "--pipeline", "p"] + arguments)
                #expect(refused.status != 0 && refused.output.contains(message), "\(arguments): \(refused.output)")
            }
            let nothing = try await freshet(["pipeline-events", "report", "--pipeline", "p", "--status", "failed", "--target", "datasource:Nope"])
            #expect(nothing.status == 2, "\(nothing.output)")
            #expect(try await runtime.store.pipelineEvents(connectionId: nil, limit: 10).count == 2)
        }
    }

    @Test(.timeLimit(.minutes(2)))
    func reportOverHTTPNeedsTheRefreshScopeOnEveryItem() async throws {
        try await withServedDemo { binary, _, runtime, _, elsewhere in
            let (_, etl) = try await runtime.tokens.create(name: "etl", scopes: [.refresh, .read], allowList: .everything, actor: "test")
            let (_, quickOnly) = try await runtime.tokens.create(
                name: "quick-only", scopes: [.refresh], allowList: TokenAllowList(connections: [GlobPattern("demo")], datasources: [GlobPattern("Quick")]),
                actor: "test")
            let api = RunFixture.api(runtime)
            try await withSocketServer(FreshetHTTPServer(api: api)) { port in
                let environment = elsewhere.processEnvironment(["FRESHET_SERVER": "http://127.0.0.1:\(port)"])
                func freshet(_ arguments: [String], token: String) async throws -> ProcessSharingTests.Finished {
                    try await ProcessSharingTests.run(binary, arguments + ["--token", token], environment: environment)
                }
                let report = ["pipeline-events", "report", "--connection", "demo", "--pipeline", "nightly_orders", "--status", "failed", "--table", "warehouse.public.orders"]
                let refused = try await freshet(report + ["--event-id", "e1"], token: quickOnly)
                #expect(refused.status == 2, "\(refused.output)")
                let failed = try await freshet(report + ["--event-id", "e1"], token: etl)
                #expect(failed.status == 0 && failed.output.contains("4 items marked stale"), "\(failed.output)")
                #expect(try await runtime.store.pipelineEvents(connectionId: nil, limit: 10).first?.actor == "token:etl")
                let listed = try await freshet(["pipeline-events", "list", "--json"], token: etl)
                let events = try JSONSerialization.jsonObject(with: Data(listed.output.utf8)) as? [[String: Any]]
                #expect(events?.compactMap { $0["eventId"] as? String } == ["e1"], "\(listed.output)")
                let unnamed = try await freshet(Array(report.filter { $0 != "--connection" && $0 != "demo" }) + ["--event-id", "e2"], token: etl)
                #expect(unnamed.status == 2 && unnamed.output.contains("Name the connection"), "\(unnamed.output)")
            }
            await api.engine.shutdown()
            #expect(try await elsewhere.runtime().store.pipelineEvents(connectionId: nil, limit: 10).isEmpty)
        }
    }
}
