import ArgumentParser
import Foundation
import TableauClient

/// `freshet-bench client`: refresh data sources and wait on all of them at once with
/// ``TableauClient``, recording when each waiter returned (see bench/README.md).
///
/// It uses the client as a pipeline would: default polling policy, the real clock, one PAT
/// session shared by every task. Each data source gets its own task that refreshes it and then
/// calls `waitForJob`; the client batches the status checks behind the scenes.
///
/// Output: one JSON object per line. `{"event":"job",…}` per job with `jobId`, `datasource`,
/// `refreshedAt` and `returnedAt` (epoch milliseconds) and `outcome`; then one
/// `{"event":"summary",…}` line.
struct ClientBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "client",
        abstract: "Refresh data sources concurrently with TableauClient and wait on them all; print when each waiter returned."
    )

    @Option(help: "Emulator (or Tableau) URL, e.g. http://127.0.0.1:8800.")
    var emulator: String

    @Option(help: "Site content URL (empty: the Default site).")
    var site: String = ""

    @Option(help: "Personal access token name.")
    var patName: String

    @Option(help: "Personal access token secret.")
    var patSecret: String

    @Option(help: "Comma-separated data source names.")
    var datasources: String?

    @Option(help: "Every data source whose name starts with this prefix (instead of --datasources).")
    var prefix: String?

    @Option(help: "Seconds to wait for each job before giving up.")
    var timeout: Int = 600

    func validate() throws {
        if (datasources == nil) == (prefix == nil) { throw ValidationError("give exactly one of --datasources or --prefix") }
    }

    func run() async throws {
        let client = TableauClient(
            configuration: TableauConfiguration(
                server: try ServerAddress(emulator), siteContentUrl: site,
                credentials: .personalAccessToken(name: patName, secret: patSecret)
            )
        )
        let started = Self.epochMilliseconds()
        let targets = try await resolve(client)
        let timeout = Duration.seconds(timeout)
        let results = await withTaskGroup(of: JobRecord.self) { group -> [JobRecord] in
            for item in targets {
                group.addTask {
                    await Self.refreshAndWait(item, client: client, timeout: timeout)
                }
            }
            var results: [JobRecord] = []
            for await result in group {
                Self.printJSON(result.json)
                results.append(result)
            }
            return results
        }
        let signIns = await client.signInCount()
        try? await client.signOut()
        let succeeded = results.filter { $0.outcome == "succeeded" }.count
        Self.printJSON([
            "event": "summary", "client": "TableauClient", "jobs": results.count, "succeeded": succeeded, "signIns": signIns,
            "startedAt": started, "finishedAt": Self.epochMilliseconds(),
        ])
        if succeeded != targets.count { throw ExitCode(1) }
    }

    /// The data sources to refresh: one list call (filtered by name for a single name).
    private func resolve(_ client: TableauClient) async throws -> [ContentItem] {
        var options = ListOptions(pageSize: 1000)
        var wanted: [String] = []
        if let datasources {
            wanted = datasources.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            // Several names are matched here rather than with `name:in:[…]`: on Linux, Foundation's URL
            // parser percent-encodes the query again when it holds `[`/`]`, so `%20` in a name turns
            // into `%2520` and nothing matches (a TableauClient QueryEncoding issue).
            if wanted.count == 1 { options.filter(.name, .eq, wanted[0]) }
        }
        let items = try await client.dataSources(options).collect()
        if let prefix {
            let found = items.filter { $0.name.hasPrefix(prefix) }.sorted { $0.name < $1.name }
            guard !found.isEmpty else { throw ValidationError("no data source name starts with \"\(prefix)\"") }
            return found
        }
        var byName: [String: ContentItem] = [:]
        for item in items { byName[item.name] = item }
        let missing = wanted.filter { byName[$0] == nil }
        guard missing.isEmpty else { throw ValidationError("no data source named \(missing.joined(separator: ", "))") }
        return wanted.map { byName[$0]! }
    }

    /// What happened to one data source's refresh.
    struct JobRecord: Sendable {
        var datasource: String
        var jobId: String?
        var refreshedAt: Int64?
        var returnedAt: Int64 = 0
        var outcome = "error"
        var error: String?

        var json: [String: Any] {
            var object: [String: Any] = ["event": "job", "datasource": datasource, "returnedAt": returnedAt, "outcome": outcome]
            if let jobId { object["jobId"] = jobId }
            if let refreshedAt { object["refreshedAt"] = refreshedAt }
            if let error { object["error"] = error }
            return object
        }
    }

    private static func refreshAndWait(_ item: ContentItem, client: TableauClient, timeout: Duration) async -> JobRecord {
        var record = JobRecord(datasource: item.name)
        do {
            let job = try await client.refresh(.datasource, id: item.id)
            record.jobId = job.id
            record.refreshedAt = epochMilliseconds()
            let outcome = try await client.waitForJob(job.id, createdAt: job.createdAt, timeout: timeout)
            record.returnedAt = epochMilliseconds()
            switch outcome {
            case .succeeded: record.outcome = "succeeded"
            case .failed: record.outcome = "failed"
            case .cancelled: record.outcome = "cancelled"
            case .timedOut: record.outcome = "timedOut"
            }
        } catch {
            record.returnedAt = epochMilliseconds()
            record.error = error.description
        }
        return record
    }

    static func epochMilliseconds() -> Int64 {
        Int64((Date().timeIntervalSince1970 * 1000).rounded(.down))
    }

    static func printJSON(_ object: [String: Any]) {
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) else { return }
        print(String(decoding: data, as: UTF8.self))
    }
}
