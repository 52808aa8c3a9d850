import Foundation
import Freshet
import FreshetAPITypes

/// One target of `POST /api/v1/runs`: exactly one of the five fields.
struct RunTargetBody: Decodable, Sendable {
    var datasource: String?
    var workbook: String?
    var project: String?
    var table: String?
    /// dbt's artifacts: refresh what is downstream of the models that succeeded (``DbtRefreshPlan``).
    var dbt: DbtTargetBody?

    static let shape = JSONShape.object(["datasource": .value, "workbook": .value, "project": .value, "table": .value, "dbt": .value])

    /// The engine's targets: one, or a dbt run's tables and exposures.
    func targets(field: String) throws -> [RefreshTarget] {
        guard let dbt else { return [try target(field: field)] }
        guard [datasource, workbook, project, table].allSatisfy({ $0 == nil }) else {
            throw ProblemDocument.badRequest("Each target has exactly one of datasource, workbook, project, table or dbt.", field: field)
        }
        let plan = DbtRefreshPlan(runResults: dbt.runResults, manifest: dbt.manifest)
        guard !plan.candidates.isEmpty else {
            // Well-formed artifacts that name nothing to refresh: unprocessable, not malformed.
            throw ProblemDocument.invalid(
                "The dbt run rebuilt nothing Freshet can follow to Tableau: " + (plan.ignored.isEmpty ? "no model, seed or snapshot succeeded" : plan.ignored.joined(separator: "; ")),
                field: "\(field).dbt")
        }
        return plan.candidates.map(\.target)
    }

    /// The engine's target; a 400 naming `field` unless exactly one field is set and valid.
    func target(field: String) throws -> RefreshTarget {
        let given = [("datasource", datasource), ("workbook", workbook), ("project", project), ("table", table)]
            .compactMap { name, value in value.map { (name, $0) } }
        guard given.count == 1, let (kind, value) = given.first else {
            throw ProblemDocument.badRequest("Each target has exactly one of datasource, workbook, project, table or dbt.", field: field)
        }
        guard !value.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw ProblemDocument.badRequest("Field \"\(field).\(kind)\" must not be empty.", field: "\(field).\(kind)")
        }
        switch kind {
        case "datasource": return .datasource(value)
        case "workbook": return .workbook(value)
        case "project": return .project(value)
        default:
            guard let table = TableName(value) else {
                throw ProblemDocument.badRequest("Field \"\(field).table\" must be database.schema.table.", field: "\(field).table")
            }
            return .table(table)
        }
    }
}

extension RunTargetBody {
    /// A target as the generated type read it (in pipeline events' bodies); `field` names it in problems.
    init(_ target: Components.Schemas.RunTarget, field: String) throws {
        datasource = target.datasource
        workbook = target.workbook
        project = target.project
        table = target.table
        do {
            dbt = try target.dbt.map { try JSONDecoder().decode(DbtTargetBody.self, from: JSONEncoder().encode($0)) }
        } catch {
            throw ProblemDocument.badRequest("Field \"\(field).dbt\" is not dbt's run results (and manifest): \(error)", field: "\(field).dbt")
        }
    }
}

/// The `dbt` target: `{"runResults": <run_results.json>, "manifest": <manifest.json>}` (manifest optional).
struct DbtTargetBody: Decodable, Sendable {
    var runResults: DbtRunResults
    var manifest: DbtManifest?
}

/// `POST /api/v1/runs`: what `freshet refresh` takes, plus a bounded long-poll.
struct CreateRunsBody: JSONRequestBody {
    var connection: String
    var targets: [RunTargetBody]
    var idempotencyKey: String?
    var timeoutSeconds: Int?
    var attempts: Int?
    var waitSeconds: Int?

    static let shape = JSONShape.object([
        "connection": .value, "targets": .array(RunTargetBody.shape), "idempotencyKey": .value, "timeoutSeconds": .value,
        "attempts": .value, "waitSeconds": .value,
    ])

    /// Longest `timeoutSeconds` (7 days).
    static let maxTimeout = 7 * 24 * 3600

    /// The engine's request, with `headerKey` (the `Idempotency-Key` header) when the body has none.
    func request(headerKey: String?) throws -> RefreshRequest {
        guard !connection.isEmpty else { throw ProblemDocument.badRequest("Field \"connection\" must not be empty.", field: "connection") }
        guard !targets.isEmpty else { throw ProblemDocument.badRequest("Name at least one target.", field: "targets") }
        let resolved = try targets.enumerated().flatMap { index, target in try target.targets(field: "targets[\(index)]") }
        if let headerKey, let idempotencyKey, headerKey != idempotencyKey {
            throw ProblemDocument.badRequest(
                "The Idempotency-Key header and the body's idempotencyKey differ; send one, or the same in both.", field: "idempotencyKey")
        }
        let key = idempotencyKey ?? headerKey
        if let key, key.isEmpty || key.count > 200 {
            throw ProblemDocument.badRequest("The idempotency key must be 1 to 200 characters.", field: "idempotencyKey")
        }
        if let timeoutSeconds, !(1...Self.maxTimeout).contains(timeoutSeconds) {
            throw ProblemDocument.badRequest("Field \"timeoutSeconds\" must be from 1 to \(Self.maxTimeout).", field: "timeoutSeconds")
        }
        let attempts = attempts ?? 1
        guard (1...10).contains(attempts) else { throw ProblemDocument.badRequest("Field \"attempts\" must be from 1 to 10.", field: "attempts") }
        _ = try RunRoutes.waitLimit(waitSeconds, field: "waitSeconds")
        // A dbt run rebuilds relations no dashboard reads: those are skipped, not an error.
        return RefreshRequest(
            connection: connection, targets: resolved, idempotencyKey: key, timeout: timeoutSeconds.map { .seconds($0) },
            retryPolicy: RunRetryPolicy(maxAttempts: attempts, delay: 30), skipsTablesWithoutLineage: targets.contains { $0.dbt != nil })
    }
}

/// The answer of `POST /api/v1/runs`.
struct RunsAnswer: Encodable {
    var runs: [RunView]
    var liveItems: [LiveItemView]
    /// running until every run ended; then RunsOutcome's word.
    var state: String
    var finished: Bool

    init(runs: [Run], liveItems: [RefreshableItem]) {
        self.runs = runs.map(RunView.init)
        self.liveItems = liveItems.map(LiveItemView.init)
        finished = runs.allSatisfy(\.state.isTerminal)
        state = finished ? RunsAnswer.word(RunsOutcome(runs)) : "running"
    }

    static func word(_ outcome: RunsOutcome) -> String {
        switch outcome {
        case .succeeded: "succeeded"
        case .failed: "failed"
        case .timedOut: "timedOut"
        case .cancelled: "cancelled"
        case .unreachable: "unreachable"
        }
    }
}

/// The answer of `GET /api/v1/runs`.
struct RunPage: Encodable {
    var runs: [RunView]
    /// Pass as `cursor` for the next (older) page; null on the last page.
    var nextCursor: String?
}
