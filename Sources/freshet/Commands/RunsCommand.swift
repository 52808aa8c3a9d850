import ArgumentParser
import Foundation
import Freshet
import FreshetServer

/// `freshet runs …`: list, show, follow and cancel refresh runs.
struct RunsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "runs",
        abstract: "List, show, follow and cancel refresh runs.",
        discussion: """
            Examples:
              freshet runs list --state waiting
              freshet runs show 5E0C…                 # checks Tableau once for a waiting run's outcome
              freshet runs show 5E0C… --wait          # follows the run to its end (taking it over if needed)
              freshet runs cancel 5E0C…               # cancels the Tableau job too

            With --server URL --token T (or FRESHET_SERVER and FRESHET_TOKEN) they talk to a running \
            `freshet serve` over HTTP instead of the local database.

            Environment: FRESHET_DATA_DIR (default ~/.freshet), FRESHET_MASTER_KEY.
            Exit codes: 0 success (show: the run succeeded or is still going), 1 the run failed, \
            2 usage or configuration error, 3 timed out, 4 cancelled, 5 Tableau unreachable.
            """,
        subcommands: [List.self, Show.self, Cancel.self]
    )

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List runs, newest first.")

        @Option(help: "Only runs of this connection.") var connection: String?
        @Option(help: "Only runs in this state (repeatable): accepted, triggering, waiting, succeeded, failed, cancelled, timedOut.")
        var state: [String] = []
        @Option(help: "How many runs.") var limit = 50
        @OptionGroup var location: DataLocation
        @OptionGroup var remote: RemoteServer
        @Flag(help: "Print JSON.") var json = false

        func validate() throws {
            for name in state where RunState(rawValue: name) == nil {
                throw ValidationError("Unknown state \"\(name)\"; states are \(RunState.allCases.map(\.rawValue).joined(separator: ", "))")
            }
        }

        func run() async throws {
            try await CLI.run {
                let runs: [Run]
                if let client = try remote.client() {
                    runs = try await runRemote(client)
                } else {
                    let runtime = try await location.runtime()
                    var connectionId: String?
                    if let connection {
                        guard let stored = try await runtime.store.connection(named: connection) else { throw StoreError.notFound(connection) }
                        connectionId = stored.connection.id
                    }
                    let states = state.isEmpty ? nil : Set(state.compactMap(RunState.init(rawValue:)))
                    runs = try await runtime.store.runs(RunQuery(connectionId: connectionId, states: states, limit: limit))
                }
                if json { return Output.json(runs.map(RunView.init)) }
                Output.table(
                    ["RUN", "CREATED", "ITEM", "STATE", "TABLEAU JOB", "BY"],
                    runs.map { [$0.id, $0.createdAt.ISO8601Format(), "\($0.item.contentType.noun) \($0.item.name)", $0.state.rawValue, $0.jobId ?? "-", $0.actor] })
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one run and its attempts; --wait follows it to its end.")

        @Argument(help: "The run id.") var id: String
        @Flag(help: "Wait until the run ends, showing progress.") var wait = false
        @OptionGroup var location: DataLocation
        @OptionGroup var remote: RemoteServer
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            try await CLI.run {
                if let client = try remote.client() { return try await runRemote(client) }
                let engine = try await location.runtime().refreshEngine()
                guard var run = try await engine.poll(id: id) else {
                    Output.error("No run with id \(id)")
                    throw ExitCode(2)
                }
                if wait { run = try await RunWaiting.follow([run], engine: engine, untilEnded: true, json: true, header: {}).first ?? run }
                await engine.shutdown()
                if json { Output.json(RunView(run)) } else { RunsCommand.printDetails(run) }
                throw ExitCode(RunsOutcome([run]).rawValue)
            }
        }
    }

    struct Cancel: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Cancel a run; a queued or running Tableau job is cancelled too.")

        @Argument(help: "The run id.") var id: String
        @OptionGroup var location: DataLocation
        @OptionGroup var remote: RemoteServer
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            try await CLI.run {
                let run: Run
                if let client = try remote.client() {
                    run = try await runRemote(client)
                } else {
                    let engine = try await location.runtime().refreshEngine()
                    guard try await engine.run(id: id) != nil else {
                        Output.error("No run with id \(id)")
                        throw ExitCode(2)
                    }
                    run = try await engine.cancel(id: id, actor: Output.actor)
                    await engine.shutdown()
                }
                if json { return Output.json(RunView(run)) }
                if run.state == .cancelled {
                    Output.line("Run \(run.id) cancelled.")
                } else if run.state.isTerminal {
                    Output.line("Run \(run.id) had already ended: \(run.state.rawValue).")
                } else {
                    Output.line("Cancel requested; Tableau is cancelling job \(run.jobId ?? "?"). Follow with: freshet runs show \(run.id) --wait")
                }
            }
        }
    }

    static func printDetails(_ run: Run) {
        Output.line("Run        \(run.id)")
        Output.line("Item       \(run.item.contentType.noun) \"\(run.item.name)\" (\(run.item.tableauId))")
        if let project = run.projectName { Output.line("Project    \(project)") }
        Output.line("Target     \(run.target)")
        Output.line("State      \(run.state.rawValue)\(run.cancelRequested && !run.state.isTerminal ? " (cancel requested)" : "")")
        Output.line("Job        \(run.jobId ?? "-")")
        Output.line("Requested  \(run.createdAt.ISO8601Format()) by \(run.actor)")
        if let deadline = run.deadline { Output.line("Deadline   \(deadline.ISO8601Format())") }
        if let finish = run.estimatedFinish { Output.line("Expected   \(finish.ISO8601Format()) (from the item's recent refreshes)") }
        if let held = run.heldUntil { Output.line("Held       by Tableau until \(held.ISO8601Format()); it triggers again then") }
        if let key = run.idempotencyKey { Output.line("Key        \(key)") }
        if let notes = run.notes { Output.line("Notes      \(notes)") }
        for attempt in RunView(run).attempts {
            let job = attempt.jobId.map { " job \($0)" } ?? ""
            let joined = attempt.joinedExisting ? " (joined a refresh already queued)" : ""
            Output.line("Attempt \(attempt.number)  \(attempt.outcome)\(job)\(joined)\(attempt.message.map { ": \($0)" } ?? "")")
        }
    }
}
