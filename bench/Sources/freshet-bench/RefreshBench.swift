import ArgumentParser
import Foundation
import Freshet
import FreshetServer

/// `freshet-bench refresh`: many concurrent refresh requests through one ``RefreshEngine``,
/// recording what each request became and when its wait returned (see bench/README.md).
///
/// It uses Freshet as one `freshet` process would: a fresh data directory (SQLite store, a new
/// master key), one PAT connection to the emulator, `runtime.refreshEngine()` with its default
/// settings (`FRESHET_MAX_CONCURRENT_REFRESHES` and `FRESHET_LEASE_SECONDS` apply). Then every
/// request gets its own task that calls `submit` (its own actor, no idempotency key) for one data
/// source, round-robin over the names, and `wait(for:limit:)` on the runs it got. Requests for a
/// data source whose refresh is under way join its run, so Tableau should see one refresh per
/// data source.
///
/// Output: one JSON object per line. `{"event":"request",…}` per request with `index`,
/// `datasource`, `runId`, `disposition`, `state`, `jobId`, `submittedAt` (before `submit`),
/// `acceptedAt` (when `submit` returned) and `returnedAt` (when its wait returned), in epoch
/// milliseconds; then one `{"event":"summary",…}` line.
struct RefreshBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "refresh",
        abstract: "Fire concurrent refresh requests at one Freshet refresh engine and wait on them all; print what each became."
    )

    @Option(help: "Emulator (or Tableau) URL, e.g. http://127.0.0.1:8800.")
    var emulator: String

    @Option(help: "Site content URL (empty: the Default site).")
    var site: String = ""

    @Option(help: "Personal access token name of the connection.")
    var patName: String

    @Option(help: "Personal access token secret of the connection.")
    var patSecret: String

    @Option(help: "Comma-separated data source names; requests are spread over them round-robin.")
    var datasources: String = (1...20).map { String(format: "Data Source %02d", $0) }.joined(separator: ",")

    @Option(help: "Number of concurrent refresh requests.")
    var requests: Int = 200

    @Option(help: "Seconds each request waits for its runs before giving up.")
    var timeout: Int = 600

    @Flag(help: "Keep the temporary data directory (its path is in the summary line).")
    var keepData = false

    func validate() throws {
        if requests < 1 { throw ValidationError("--requests must be at least 1") }
        if names.isEmpty { throw ValidationError("--datasources names no data source") }
    }

    private var names: [String] {
        datasources.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    func run() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("freshet-bench-\(UUID().uuidString)")
        defer { if !keepData { try? FileManager.default.removeItem(at: directory) } }
        let runtime = try FreshetRuntime(dataDirectory: directory, environment: ["FRESHET_MASTER_KEY": MasterKey.generate().base64])
        let connection = "bench"
        _ = try await runtime.connections.add(
            ConnectionDraft(name: connection, serverURL: emulator, siteContentUrl: site, patName: patName, patSecret: patSecret),
            actor: "bench"
        )
        let settings = try FreshetRuntime.refreshConfiguration(environment: ProcessInfo.processInfo.environment)
        let engine = runtime.refreshEngine(configuration: settings)
        let names = names
        let limit = Duration.seconds(timeout)

        let started = ClientBench.epochMilliseconds()
        let results = await withTaskGroup(of: RequestRecord.self) { group -> [RequestRecord] in
            for index in 0..<requests {
                let name = names[index % names.count]
                group.addTask {
                    await Self.request(index, datasource: name, connection: connection, engine: engine, limit: limit)
                }
            }
            var results: [RequestRecord] = []
            for await result in group {
                ClientBench.printJSON(result.json)
                results.append(result)
            }
            return results
        }
        let finished = ClientBench.epochMilliseconds()
        await engine.shutdown()

        let runIds = Set(results.compactMap(\.runId))
        let succeeded = results.filter { $0.state == RunState.succeeded.rawValue }.count
        var dispositions: [String: Int] = [:]
        for result in results { dispositions[result.disposition ?? "none", default: 0] += 1 }
        var summary: [String: Any] = [
            "event": "summary", "client": "Freshet RefreshEngine", "requests": results.count, "datasources": names.count,
            "runsDistinct": runIds.count, "dispositions": dispositions, "succeeded": succeeded, "allSucceeded": succeeded == results.count,
            "startedAt": started, "finishedAt": finished, "wallSeconds": Double(finished - started) / 1000,
            "lastReturnedAt": results.map(\.returnedAt).max() ?? finished,
            "maxTableauJobsPerConnection": settings.maxTableauJobsPerConnection,
            "leaseSeconds": Double(settings.leaseDuration.components.seconds),
        ]
        if keepData { summary["dataDirectory"] = directory.path }
        ClientBench.printJSON(summary)
        if succeeded != results.count { throw ExitCode(1) }
    }

    /// What one request became.
    struct RequestRecord: Sendable {
        var index: Int
        var datasource: String
        var runId: String?
        var runIds: [String] = []
        var disposition: String?
        var state = "error"
        var jobId: String?
        var submittedAt: Int64
        var acceptedAt: Int64?
        var returnedAt: Int64 = 0
        var error: String?

        var json: [String: Any] {
            var object: [String: Any] = [
                "event": "request", "index": index, "datasource": datasource, "state": state, "submittedAt": submittedAt,
                "returnedAt": returnedAt,
            ]
            if let runId { object["runId"] = runId }
            if runIds.count > 1 { object["runIds"] = runIds }
            if let disposition { object["disposition"] = disposition }
            if let jobId { object["jobId"] = jobId }
            if let acceptedAt { object["acceptedAt"] = acceptedAt }
            if let error { object["error"] = error }
            return object
        }
    }

    /// One request: submit a refresh of `datasource` as its own actor, then wait for its runs.
    private static func request(_ index: Int, datasource: String, connection: String, engine: RefreshEngine, limit: Duration) async
        -> RequestRecord
    {
        var record = RequestRecord(index: index, datasource: datasource, submittedAt: ClientBench.epochMilliseconds())
        do {
            let submission = try await engine.submit(
                RefreshRequest(connection: connection, targets: [.datasource(datasource)]), actor: "bench:request-\(index)")
            record.acceptedAt = ClientBench.epochMilliseconds()
            record.runIds = submission.runs.map(\.run.id)
            record.runId = record.runIds.first
            record.disposition = submission.runs.first.map(\.disposition.rawValue)
            let ended = try await engine.wait(for: record.runIds, limit: limit)
            record.returnedAt = ClientBench.epochMilliseconds()
            // One target names one data source, so one run; several would all have to succeed.
            if ended.isEmpty {
                record.state = "noRun"
            } else {
                record.state = ended.allSatisfy { $0.state == .succeeded } ? RunState.succeeded.rawValue : ended.map(\.state.rawValue).joined(separator: ",")
            }
            record.jobId = ended.first?.jobId
            if !submission.liveItems.isEmpty { record.error = "live (no extract): \(submission.liveItems.map(\.item.name))" }
        } catch {
            record.returnedAt = ClientBench.epochMilliseconds()
            record.error = "\(error)"
        }
        return record
    }
}
