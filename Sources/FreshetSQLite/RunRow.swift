import Foundation
import Freshet
import GRDB

/// How a ``Run`` is written to and read from the `runs` table.
enum RunRow {
    /// The columns an insert writes, in order.
    static let insertColumns = """
        id, connection_id, target, content_type, item_id, item_name, actor, idempotency_key, state, job_id, attempts, notes,
        cancel_requested, created_at, updated_at, deadline, retry_max_attempts, retry_delay, version, project_name
        """

    /// The values of ``insertColumns`` for `run` (version 0).
    static func insertValues(_ run: Run) throws -> StatementArguments {
        StatementArguments([
            run.id, run.connectionId, run.target, run.item.contentType.rawValue, run.item.tableauId, run.item.name, run.actor,
            run.idempotencyKey, run.state.rawValue, run.jobId, try attemptsJSON(run.attempts), run.notes, run.cancelRequested,
            SQLiteTimestamp.text(run.createdAt), SQLiteTimestamp.text(run.updatedAt), run.deadline.map(SQLiteTimestamp.text),
            run.retryPolicy.maxAttempts, run.retryPolicy.delay, 0, run.projectName,
        ] as [(any DatabaseValueConvertible)?])
    }

    /// `run` as reading its row back gives it once an INSERT of ``insertValues(_:)`` wrote it
    /// with this lease and job slot: version 0, every date at its stored millisecond. Saves the
    /// read-back, whose JSON decoding of the attempts was the largest cost of storing a request
    /// (RunBatchStoreTests compare it with a read).
    static func inserted(_ run: Run, lease: RunLease?, holdsJobSlot: Bool) -> Run {
        var stored = run
        stored.createdAt = SQLiteTimestamp.stored(run.createdAt)
        stored.updatedAt = SQLiteTimestamp.stored(run.updatedAt)
        stored.deadline = run.deadline.map(SQLiteTimestamp.stored)
        stored.version = 0
        stored.lease = lease.map { RunLease(holder: $0.holder, until: SQLiteTimestamp.stored($0.until)) }
        stored.holdsJobSlot = holdsJobSlot
        return stored
    }

    /// `attempts` as the stored JSON array.
    static func attemptsJSON(_ attempts: [RunAttempt]) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(decoding: try encoder.encode(attempts), as: UTF8.self)
    }

    /// The run stored in `row`.
    static func run(_ row: Row) throws -> Run {
        try run(row, attempts: nil)
    }

    /// The run stored in `row`, whose attempts are `attempts` when the caller just wrote them
    /// (their JSON is not decoded again: the largest cost of reading a run).
    static func run(_ row: Row, attempts written: [RunAttempt]?) throws -> Run {
        let stateText = try SQLiteStore.text(row, "state")
        let typeText = try SQLiteStore.text(row, "content_type")
        guard let state = RunState(rawValue: stateText) else { throw StoreError(.corrupt, "The database holds an unknown run state: \(stateText)") }
        guard let type = RunItem.ContentType(rawValue: typeText) else {
            throw StoreError(.corrupt, "The database holds an unknown content type: \(typeText)")
        }
        let attempts: [RunAttempt]
        do {
            attempts = try written ?? JSONDecoder().decode([RunAttempt].self, from: Data(try SQLiteStore.text(row, "attempts").utf8))
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(.corrupt, "The database holds unreadable attempts for a run: \(error)")
        }
        var run = Run(
            id: try SQLiteStore.text(row, "id"), connectionId: try SQLiteStore.text(row, "connection_id"),
            target: try SQLiteStore.text(row, "target"),
            item: RunItem(contentType: type, tableauId: try SQLiteStore.text(row, "item_id"), name: try SQLiteStore.text(row, "item_name")),
            projectName: row["project_name"], actor: try SQLiteStore.text(row, "actor"), idempotencyKey: row["idempotency_key"],
            deadline: try SQLiteStore.optionalDate(row, "deadline"),
            retryPolicy: RunRetryPolicy(maxAttempts: row["retry_max_attempts"] ?? 1, delay: row["retry_delay"] ?? 30),
            createdAt: try SQLiteStore.date(row, "created_at"))
        run.state = state
        run.jobId = row["job_id"]
        run.attempts = attempts
        run.notes = row["notes"]
        run.cancelRequested = row["cancel_requested"] ?? false
        run.updatedAt = try SQLiteStore.date(row, "updated_at")
        run.version = row["version"] ?? 0
        if let holder: String = row["lease_holder"], let until = try SQLiteStore.optionalDate(row, "lease_until") {
            run.lease = RunLease(holder: holder, until: until)
        }
        run.holdsJobSlot = row["holds_job_slot"] ?? false
        return run
    }

    /// SQL list of the non-terminal states: `('accepted', 'triggering', 'waiting')`.
    static let nonTerminalList = "(" + RunState.allCases.filter { !$0.isTerminal }.map { "'\($0.rawValue)'" }.joined(separator: ", ") + ")"
}
