import ArgumentParser
import Foundation
import Freshet
import FreshetAPITypes
import FreshetServer
import NIOHTTP1

/// `freshet pipeline-events …`: a pipeline reports that its run failed or succeeded; what it
/// feeds is marked stale (or cleared) without refreshing anything.
struct PipelineEventsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pipeline-events",
        abstract: "Report a pipeline's failure or success (marks what it feeds stale, or clears it); list reported events.",
        discussion: """
            A failed pipeline marks every item downstream of the tables it names (Tableau's lineage), or \
            the items it names, stale (reason pipelineFailed) until the same pipeline reports success; \
            nothing is refreshed. With data quality warnings enabled on the connection, the affected data \
            sources are warned in Tableau. See docs/freshness.md.

            Examples:
              freshet pipeline-events report --connection prod --pipeline nightly_orders --status failed --table warehouse.public.orders --reason "task load_orders failed" --event-id "airflow:nightly_orders:2026-11-29T06:00"
              freshet pipeline-events report --connection prod --pipeline nightly_orders --status succeeded --table warehouse.public.orders
              freshet pipeline-events report --connection prod --pipeline finance_load --status failed --target datasource:Finance/Orders --target project:Marketing
              freshet pipeline-events list --connection prod --json

            The event id makes a report idempotent per connection: repeating it changes nothing and \
            answers the first event; the same id with another pipeline, status or targets is refused. \
            Pass your orchestrator's run id so a retried task is safe; without --event-id a new id is \
            made (and printed).

            With --server URL --token T (or FRESHET_SERVER and FRESHET_TOKEN) they talk to a running \
            `freshet serve` (POST /api/v1/pipeline-events needs the refresh scope with every affected \
            item in the token's allow-list; listing needs read).

            Exit codes: 0 recorded (or repeated), 2 usage error, unknown connection, names that match \
            nothing, event id reused for another event, or refused, 5 Tableau or the server unreachable.
            """,
        subcommands: [Report.self, List.self]
    )

    struct Report: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Report that a pipeline's run failed or succeeded.")

        @Option(help: "The connection (name or id; default: $FRESHET_CONNECTION, else the only connection).") var connection: String?
        @Option(help: "The pipeline's name (the same name clears its failure).") var pipeline: String
        @Option(help: "failed or succeeded.") var status: String
        @Option(help: "An item the pipeline feeds: datasource:NAME, workbook:NAME or project:NAME (NAME may be Project/Name or an id; repeatable).")
        var target: [String] = []
        @Option(help: "A database table the pipeline writes, database.schema.table: everything downstream of it (repeatable).") var table: [String] = []
        @Option(help: "Why it failed, in the pipeline's words.") var reason: String?
        @Option(help: "The event's id (e.g. the orchestrator's run id): repeating it changes nothing.") var eventId: String?
        @OptionGroup var location: DataLocation
        @OptionGroup var remote: RemoteServer
        @Flag(help: "Print the answer as JSON.") var json = false

        func validate() throws {
            guard PipelineEvent.Status(rawValue: status) != nil else { throw ValidationError("--status must be failed or succeeded") }
            guard !(target + table).isEmpty else { throw ValidationError("Name what the pipeline feeds: --table or --target") }
            for name in table where TableName(name) == nil { throw ValidationError("--table \(name): write the table as database.schema.table") }
            for text in target { _ = try Self.target(text) }
            if let eventId, eventId.isEmpty || eventId.count > 200 { throw ValidationError("--event-id must be 1 to 200 characters") }
            if pipeline.isEmpty || pipeline.count > 200 { throw ValidationError("--pipeline must be 1 to 200 characters") }
        }

        /// `datasource:NAME`, `workbook:NAME` or `project:NAME` as a target.
        static func target(_ text: String) throws -> RemoteRuns.Target {
            let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
            guard parts.count == 2, !parts[1].trimmingCharacters(in: .whitespaces).isEmpty else {
                throw ValidationError("--target \(text): write datasource:NAME, workbook:NAME or project:NAME")
            }
            switch parts[0] {
            case "datasource": return RemoteRuns.Target(datasource: parts[1])
            case "workbook": return RemoteRuns.Target(workbook: parts[1])
            case "project": return RemoteRuns.Target(project: parts[1])
            case "table": return RemoteRuns.Target(table: parts[1])
            default: throw ValidationError("--target \(text): write datasource:NAME, workbook:NAME or project:NAME")
            }
        }

        func run() async throws {
            try await CLI.run {
                let id = eventId ?? "cli:\(pipeline):\(UUID().uuidString.lowercased())"
                let targets = try target.map(Self.target) + table.map { RemoteRuns.Target(table: $0) }
                let answer: APIPipelineEventAnswer
                if let client = try remote.client() {
                    guard let connection = self.connection ?? ProcessInfo.processInfo.environment["FRESHET_CONNECTION"].flatMap({ $0.isEmpty ? nil : $0 }) else {
                        throw Freshet.ValidationError("Name the connection with --connection (or FRESHET_CONNECTION)")
                    }
                    let body = Components.Schemas.PipelineEventFields(
                        eventId: id, connection: connection, pipeline: pipeline, status: .init(rawValue: status)!, reason: reason, targets: targets)
                    answer = try await client.send(.POST, "/api/v1/pipeline-events", body: body, as: APIPipelineEventAnswer.self).0
                } else {
                    answer = try await recordLocally(id, targets: targets)
                }
                if json { return Output.json(answer) }
                Self.print(answer)
            }
        }

        func recordLocally(_ id: String, targets: [RemoteRuns.Target]) async throws -> APIPipelineEventAnswer {
            let runtime = try await location.runtime()
            let connectionName = try await Self.connection(self.connection, runtime: runtime)
            let engine = try runtime.refreshEngine()
            let service = PipelineEventService(store: runtime.store, audit: runtime.store, engine: engine)
            let engineTargets: [RefreshTarget] = targets.compactMap { target in
                if let name = target.datasource { return .datasource(name) }
                if let name = target.workbook { return .workbook(name) }
                if let name = target.project { return .project(name) }
                return target.table.flatMap(TableName.init).map { .table($0) }
            }
            let recorded: Result<(event: PipelineEvent, repeated: Bool), any Error>
            do {
                recorded = .success(
                    try await service.record(
                        eventId: id, connection: connectionName, pipeline: pipeline, status: PipelineEvent.Status(rawValue: status)!, reason: reason,
                        targets: engineTargets, actor: Output.actor))
            } catch {
                recorded = .failure(error)
            }
            await engine.shutdown()
            do {
                let (event, repeated) = try recorded.get()
                return APIPipelineEventAnswer(event: try APIPipelineEvent(PipelineEventView(event)), repeated: repeated)
            } catch let error as RefreshRequestError {
                Output.error(error.description)
                throw ExitCode(error.exitCode)
            } catch let error as PipelineEventError {
                Output.error(error.description)
                throw ExitCode(2)
            }
        }

        /// `name`, $FRESHET_CONNECTION, or the only connection of the local database.
        static func connection(_ name: String?, runtime: FreshetRuntime) async throws -> String {
            if let name = name ?? ProcessInfo.processInfo.environment["FRESHET_CONNECTION"].flatMap({ $0.isEmpty ? nil : $0 }) { return name }
            let names = try await runtime.store.connections().map(\.connection.name).sorted()
            guard names.count == 1 else {
                throw Freshet.ValidationError(
                    names.isEmpty
                        ? "No connection yet: add one with `freshet connection add`"
                        : "Name the connection with --connection: one of \(names.joined(separator: ", "))")
            }
            return names[0]
        }

        static func print(_ answer: APIPipelineEventAnswer) {
            let event = answer.event
            if answer.repeated {
                Output.line("Event \(event.eventId) was already recorded (\(event.pipeline) \(event.status.rawValue) at \(event.receivedAt.ISO8601Format())): nothing changed.")
                return
            }
            let what = event.status == .failed ? "marked stale until \(event.pipeline) reports success" : "cleared of \(event.pipeline)'s failure"
            Output.line("Pipeline \(event.pipeline) \(event.status.rawValue) (event \(event.eventId)): \(event.items.count) item\(event.items.count == 1 ? "" : "s") \(what).")
            for item in event.items {
                Output.line("  \(item.itemType == .workbook ? "workbook" : "data source") \(item.project.map { "\($0)/" } ?? "")\(item.itemName)")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List reported pipeline events, newest first.")

        @Option(help: "Only events of this connection (name or id).") var connection: String?
        @Option(help: "How many (1 to 1000).") var limit = 50
        @OptionGroup var location: DataLocation
        @OptionGroup var remote: RemoteServer
        @Flag(help: "Print JSON.") var json = false

        func validate() throws {
            guard (1...1000).contains(limit) else { throw ValidationError("--limit must be between 1 and 1000") }
        }

        typealias Page = Operations.GetApiV1PipelineEvents.Output.Ok.Body.JsonPayload

        func run() async throws {
            try await CLI.run {
                let events: [APIPipelineEvent]
                if let client = try remote.client() {
                    let query = FreshetAPIClient.query([("connection", connection), ("limit", String(limit))])
                    events = try await client.send(.GET, "/api/v1/pipeline-events" + query, as: Page.self).0.events
                } else {
                    let runtime = try await location.runtime()
                    var connectionId: String?
                    if let connection {
                        guard let stored = try await runtime.store.connections().first(where: { $0.connection.name == connection || $0.connection.id == connection })
                        else { throw StoreError.notFound(connection) }
                        connectionId = stored.connection.id
                    }
                    events = try await runtime.store.pipelineEvents(connectionId: connectionId, limit: limit).map { try APIPipelineEvent(PipelineEventView($0)) }
                }
                if json { return Output.json(events) }
                if events.isEmpty { return Output.line("No pipeline events.") }
                Output.table(
                    ["RECEIVED", "PIPELINE", "STATUS", "EVENT", "ITEMS", "REASON"],
                    events.map { event in
                        let names = event.items.prefix(3).map(\.itemName).joined(separator: ", ") + (event.items.count > 3 ? ", …" : "")
                        return [
                            event.receivedAt.ISO8601Format(), event.pipeline, event.status.rawValue, event.eventId, "\(event.items.count): \(names)",
                            FreshnessText.oneLine(event.reason ?? "-"),
                        ]
                    })
            }
        }
    }
}
