import ArgumentParser
import Foundation
import Freshet
import FreshetServer

/// `freshet refresh`: refresh Tableau extracts now, optionally waiting for them.
struct RefreshCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "refresh",
        abstract: "Refresh Tableau extracts now and (with --wait) wait for Tableau's jobs.",
        discussion: """
            Each workbook or data source becomes a durable run: a second request for an item whose refresh \
            is queued or running joins it instead of refreshing twice, and a repeated --idempotency-key \
            returns the same runs. Names are exact; qualify a name with its project as Project/Name, or use \
            the item's id. Items without an extract (live connections) are reported, not refreshed.

            Without --wait, Freshet asks Tableau to refresh, prints the run ids and exits once Tableau has \
            queued every job; follow them with `freshet runs show ID --wait` (a running `freshet serve` on the \
            same data directory also finishes them). With --wait it shows progress (a status line on a \
            terminal, one line per change otherwise) and exits when every run has ended. Interrupting it \
            loses nothing: the runs are in the database and resume with the next `freshet runs show --wait`.

            Examples:
              freshet refresh --connection prod --datasource Sales --wait
              freshet refresh --connection prod --datasource Finance/Orders --workbook "Executive Dashboard" --wait --timeout 30m
              freshet refresh --connection prod --project Finance --idempotency-key "$RUN_ID" --wait
              freshet refresh --connection prod --table warehouse.public.orders --wait --json
              freshet refresh --connection prod --dbt-run-results target/run_results.json --dbt-manifest target/manifest.json --wait

            With --dbt-run-results, Freshet refreshes what is downstream of every model, seed and snapshot that \
            succeeded in that dbt run: the Tableau items its relation (database.schema.identifier) feeds in \
            Tableau's lineage, and the item of every exposure that depends on it whose url names a Tableau \
            workbook or data source by id (…/workbooks/<id>). Failed and skipped models refresh nothing; a \
            relation Tableau knows nothing downstream of is reported, not an error. --plan prints what would be \
            refreshed and why, and refreshes nothing.

            With --server URL --token T (or FRESHET_SERVER and FRESHET_TOKEN) the request goes to a running \
            `freshet serve` over HTTP instead of the local database, with the same output and exit codes.

            Environment: FRESHET_DATA_DIR (default ~/.freshet), FRESHET_MASTER_KEY, \
            FRESHET_MAX_TABLEAU_JOBS_PER_CONNECTION (Tableau jobs queued or running at once per connection, across processes, default 20), FRESHET_LEASE_SECONDS (default 30).
            Exit codes: 0 all succeeded (without --wait: all queued), 1 a refresh failed, 2 usage or \
            configuration error (including names that match nothing or several items), 3 timed out, \
            4 cancelled, 5 Tableau or the network unreachable.
            """
    )

    @Option(help: "The connection (see `freshet connection list`).") var connection: String
    @Option(help: "A data source by name, Project/Name or id (repeatable).") var datasource: [String] = []
    @Option(help: "A workbook by name, Project/Name or id (repeatable).") var workbook: [String] = []
    @Option(help: "Every workbook and data source with an extract in this project (repeatable).") var project: [String] = []
    @Option(help: "Everything downstream of this database table, database.schema.table (repeatable).") var table: [String] = []
    @Option(help: "dbt's run_results.json: refresh what is downstream of the models that succeeded.") var dbtRunResults: String?
    @Option(help: "dbt's manifest.json (relations and exposures; with --dbt-run-results).") var dbtManifest: String?
    @Flag(help: "With --dbt-run-results: print what would be refreshed and why, refresh nothing.") var plan = false
    @Flag(help: "Wait until every refresh has ended.") var wait = false
    @Option(help: "Give up on a run after this long (30m, 1h30m, 90s); its Tableau job is cancelled.") var timeout: DurationText?
    @Option(help: "Repeating a request with the same key returns the same runs.") var idempotencyKey: String?
    @Option(help: "Tries when Tableau reports the refresh failed (default 1: no retry).") var attempts = 1
    @OptionGroup var location: DataLocation
    @OptionGroup var remote: RemoteServer
    @Flag(help: "Print the runs as JSON on standard output.") var json = false

    func validate() throws {
        guard !(datasource + workbook + project + table).isEmpty || dbtRunResults != nil else {
            throw ValidationError("Name something to refresh: --datasource, --workbook, --project, --table or --dbt-run-results")
        }
        guard dbtRunResults != nil || (dbtManifest == nil && !plan) else {
            throw ValidationError("--dbt-manifest and --plan go with --dbt-run-results")
        }
        for name in table where TableName(name) == nil {
            throw ValidationError("--table \(name): write the table as database.schema.table")
        }
        guard (1...10).contains(attempts) else { throw ValidationError("--attempts must be between 1 and 10") }
    }

    var targets: [RefreshTarget] {
        datasource.map { .datasource($0) } + workbook.map { .workbook($0) } + project.map { .project($0) }
            + table.compactMap(TableName.init).map { .table($0) }
    }

    func run() async throws {
        try await CLI.run {
            let dbt = try dbtArtifacts()
            if let client = try remote.client() { return try await runRemote(client, dbt: dbt) }
            let runtime = try await location.runtime()
            let engine = try runtime.refreshEngine()
            var targets = self.targets
            if let dbt { targets += try await dbtTargets(dbt, engine: engine) }
            let request = RefreshRequest(
                connection: connection, targets: targets, idempotencyKey: idempotencyKey, timeout: timeout?.duration,
                retryPolicy: RunRetryPolicy(maxAttempts: attempts, delay: 30))
            let submission: RefreshSubmission
            do throws(RefreshRequestError) {
                submission = try await engine.submit(request, actor: Output.actor)
            } catch {
                Output.error(error.description)
                throw ExitCode(error.exitCode)
            }
            let runs = try await RunWaiting.follow(
                submission.runs.map(\.run), engine: engine, untilEnded: wait, json: json,
                header: { RunWaiting.printAccepted(submission, connection: connection) })
            await engine.shutdown()
            if json { Output.json(RefreshResult(runs: runs.map(RunView.init), liveItems: submission.liveItems.map(LiveItemView.init))) }
            throw ExitCode(RunWaiting.exitCode(runs, waited: wait))
        }
    }
}

/// `--json` output of `freshet refresh`.
struct RefreshResult: Encodable {
    var runs: [RunView]
    var liveItems: [LiveItemView]
}

extension RefreshRequestError {
    /// 5 when Tableau could not be reached, else 2.
    var exitCode: Int32 {
        if case .tableau(let error) = self, error.isUnreachable || error.isTransient { return 5 }
        return 2
    }
}
