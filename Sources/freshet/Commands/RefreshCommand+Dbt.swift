import ArgumentParser
import Foundation
import Freshet
import FreshetAPITypes
import NIOHTTP1
import Synchronization

/// `freshet refresh --dbt-run-results … [--dbt-manifest …] [--plan]`.
extension RefreshCommand {
    /// The dbt artifacts named on the command line, parsed; nil without --dbt-run-results.
    func dbtArtifacts() throws -> (runResults: DbtRunResults, manifest: DbtManifest?)? {
        guard let dbtRunResults else { return nil }
        func read(_ path: String) throws -> Data {
            do { return try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
                Output.error("Cannot read \(path): \(error.localizedDescription)")
                throw ExitCode(2)
            }
        }
        let resultsData = try read(dbtRunResults)
        let manifestData = try dbtManifest.map(read)
        do throws(DbtArtifactError) {
            let results = try DbtRunResults(json: resultsData)
            let manifest = try manifestData.map { data throws(DbtArtifactError) in try DbtManifest(json: data) }
            return (results, manifest)
        } catch {
            Output.error(error.description)
            throw ExitCode(2)
        }
    }

    /// The exact targets (by Tableau id) downstream of the dbt run, each candidate resolved on its
    /// own so that a relation without Tableau lineage is reported instead of failing the request.
    /// With --plan, or when nothing is downstream, prints the plan and exits.
    func dbtTargets(_ dbt: (runResults: DbtRunResults, manifest: DbtManifest?), engine: RefreshEngine) async throws -> [RefreshTarget] {
        let dbtPlan = DbtRefreshPlan(runResults: dbt.runResults, manifest: dbt.manifest)
        var resolutions: [DbtResolvedPlan.Resolution] = []
        for candidate in dbtPlan.candidates {
            resolutions.append(try await Self.probe(candidate.target, connection: connection, engine: engine))
        }
        let resolved = DbtResolvedPlan(plan: dbtPlan, resolutions: resolutions)
        if plan || resolved.targets.isEmpty && targets.isEmpty {
            await engine.shutdown()
            resolved.lines.forEach(Output.line)
            throw ExitCode.success
        }
        if !json { resolved.lines.forEach(Output.line) }
        return resolved.targets
    }

    /// What Tableau says `target` is, without refreshing: the engine resolves it and asks an
    /// authorizer about every item, which notes each one and refuses, so nothing is stored.
    static func probe(_ target: RefreshTarget, connection: String, engine: RefreshEngine) async throws -> DbtResolvedPlan.Resolution {
        let seen = SeenItems()
        do throws(RefreshRequestError) {
            _ = try await engine.submit(RefreshRequest(connection: connection, targets: [target]), actor: Output.actor) { _, item in
                seen.items.withLock { items in
                    items["\(item.item.contentType.rawValue):\(item.item.tableauId)"] = item  // the latest: looked-up details win
                }
                return "plan only"
            }
            return .items([])
        } catch .forbidden {
            return .items(seen.items.withLock { Array($0.values) }.sorted { ($0.item.contentType.rawValue, $0.item.name) < ($1.item.contentType.rawValue, $1.item.name) })
        } catch .unresolved(let messages) {
            return .nothing(messages.map { $0.replacingOccurrences(of: "\(target): ", with: "") }.joined(separator: "; "))
        } catch {
            Output.error(error.description)
            throw ExitCode(error.exitCode)
        }
    }

    /// Through a server: the run results and manifest (only the members Freshet reads, so the
    /// body stays small) go in a `dbt` target; the server turns them into table and item targets.
    func runRemote(_ client: FreshetAPIClient, dbt: (runResults: DbtRunResults, manifest: DbtManifest?)?) async throws {
        guard let dbt else { return try await runRemote(client) }
        let dbtPlan = DbtRefreshPlan(runResults: dbt.runResults, manifest: dbt.manifest)
        if plan || dbtPlan.candidates.isEmpty {
            Output.line("Targets (through a server, Tableau is asked when refreshing):")
            for candidate in dbtPlan.candidates {
                Output.line("  \(candidate.target)")
                candidate.reasons.forEach { Output.line("      because \($0)") }
            }
            if !dbtPlan.ignored.isEmpty { Output.line("Refreshes nothing:") }
            dbtPlan.ignored.forEach { Output.line("  \($0)") }
            throw ExitCode.success
        }
        var targets = datasource.map { RemoteRuns.Target(datasource: $0) } + workbook.map { RemoteRuns.Target(workbook: $0) }
        targets += project.map { RemoteRuns.Target(project: $0) } + table.map { RemoteRuns.Target(table: $0) }
        targets.append(RemoteRuns.Target(dbt: try DbtSlim.payload(dbt.runResults, dbt.manifest)))
        let body = RemoteRuns.Create(
            connection: connection, targets: targets, idempotencyKey: idempotencyKey,
            timeoutSeconds: timeout.map { max(1, Int($0.duration.components.seconds)) }, attempts: attempts)
        let asked = Date()
        let (answer, _) = try await client.send(.POST, "/api/v1/runs", body: body, as: RemoteRuns.Answer.self)
        let runs = answer.runs.map(Run.init)
        let submission = RefreshSubmission(
            runs: runs.map { RunCreation(run: $0, disposition: Self.disposition($0, key: idempotencyKey, asked: asked)) },
            liveItems: answer.liveItems.map(\.item))
        let final = try await RemoteRuns.follow(
            runs, client: client, untilEnded: wait, json: json, header: { RunWaiting.printAccepted(submission, connection: connection) })
        if json { Output.json(RefreshResult(runs: final.map(RunView.init), liveItems: submission.liveItems.map(LiveItemView.init))) }
        throw ExitCode(RunWaiting.exitCode(final, waited: wait))
    }
}

/// The items a probe was asked about, by type and id (the looked-up details replace an id-only item).
final class SeenItems: Sendable {
    let items = Mutex<[String: RefreshableItem]>([:])
}

/// The members of dbt's artifacts that Freshet reads, as JSON objects.
enum DbtSlim {
    /// The `dbt` member of a run target (openapi.yaml's RunTarget): the artifacts' free-form
    /// JSON as the generated type's containers.
    static func payload(_ results: DbtRunResults, _ manifest: DbtManifest?) throws -> Components.Schemas.RunTarget.DbtPayload {
        let data = try JSONSerialization.data(withJSONObject: target(results, manifest), options: [.sortedKeys, .withoutEscapingSlashes])
        return try JSONDecoder().decode(Components.Schemas.RunTarget.DbtPayload.self, from: data)
    }

    static func target(_ results: DbtRunResults, _ manifest: DbtManifest?) -> [String: Any] {
        var target: [String: Any] = [
            "runResults": [
                "results": results.results.map { result -> [String: Any] in
                    var entry: [String: Any] = ["unique_id": result.uniqueId, "status": result.status]
                    if let relation = result.relationName { entry["relation_name"] = relation }
                    return entry
                }
            ]
        ]
        if let manifest {
            let ran = Set(results.results.map(\.uniqueId))
            var nodes: [String: Any] = [:]
            for (id, node) in manifest.nodes where ran.contains(id) {
                var entry: [String: Any] = ["resource_type": node.resourceType]
                entry["database"] = node.database
                entry["schema"] = node.schema
                entry["alias"] = node.identifier
                entry["relation_name"] = node.relationName
                nodes[id] = entry
            }
            var exposures: [String: Any] = [:]
            for exposure in manifest.exposures {
                var entry: [String: Any] = ["name": exposure.name, "depends_on": ["nodes": exposure.dependsOn]]
                entry["url"] = exposure.url
                exposures[exposure.uniqueId] = entry
            }
            target["manifest"] = ["nodes": nodes, "exposures": exposures]
        }
        return target
    }
}
