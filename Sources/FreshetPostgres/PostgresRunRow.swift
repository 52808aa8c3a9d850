import Foundation
import Freshet

/// A run as the JSON object `freshet_submit` inserts (one snake_case key per `runs` column; dates as
/// milliseconds since 1970, as ``PostgresTimestamp`` stores them; absent keys are NULL).
struct PostgresRunRow: Encodable {
    var id: String
    var connectionId: String
    var target: String
    var contentType: String
    var itemId: String
    var itemName: String
    var projectName: String?
    var actor: String
    var idempotencyKey: String?
    var state: String
    var jobId: String?
    var attempts: String
    var notes: String?
    var cancelRequested: Bool
    var createdMs: Int64
    var updatedMs: Int64
    var deadlineMs: Int64?
    var retryMaxAttempts: Int
    var retryDelay: Double
    var leaseHolder: String?
    var leaseUntilMs: Int64?
    var holdsJobSlot: Bool

    /// `run` (version 0), leased to `holder` until `until` when both are given, holding a job slot when `holdsSlot`.
    init(_ run: Run, holder: String?, until: Date?, holdsSlot: Bool) throws {
        id = run.id
        connectionId = run.connectionId
        target = run.target
        contentType = run.item.contentType.rawValue
        itemId = run.item.tableauId
        itemName = run.item.name
        projectName = run.projectName
        actor = run.actor
        idempotencyKey = run.idempotencyKey
        state = run.state.rawValue
        jobId = run.jobId
        attempts = try PostgresRunColumns.attemptsJSON(run.attempts)
        notes = run.notes
        cancelRequested = run.cancelRequested
        createdMs = run.createdAt.pg.milliseconds
        updatedMs = run.updatedAt.pg.milliseconds
        deadlineMs = run.deadline?.pg.milliseconds
        retryMaxAttempts = run.retryPolicy.maxAttempts
        retryDelay = run.retryPolicy.delay
        if let holder, let until {
            leaseHolder = holder
            leaseUntilMs = until.pg.milliseconds
        }
        holdsJobSlot = holdsSlot
    }
}

/// One entry of `freshet_submit`'s run list: the run as stored without a job slot, and (when the
/// request may start it) as stored holding one.
struct PostgresSubmitEntry: Encodable {
    var plain: PostgresRunRow
    var started: PostgresRunRow?

    /// Every run of `batch` as `freshet_submit`'s JSON array.
    static func json(_ batch: RunBatch) throws -> String {
        let entries = try batch.runs.indices.map { index in
            PostgresSubmitEntry(
                plain: try PostgresRunRow(batch.runs[index], holder: batch.leaseHolder, until: batch.leaseUntil, holdsSlot: false),
                started: try batch.startedRuns.flatMap { started in
                    try started.indices.contains(index)
                        ? PostgresRunRow(started[index], holder: batch.leaseHolder, until: batch.leaseUntil, holdsSlot: true) : nil
                })
        }
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return String(decoding: try encoder.encode(entries), as: UTF8.self)
    }
}
