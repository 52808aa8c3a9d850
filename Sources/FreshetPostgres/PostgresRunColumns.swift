import Foundation
import Freshet
import PostgresNIO

/// How a ``Run`` is written to and read from the `runs` table.
enum PostgresRunColumns {
    /// `attempts` as the stored JSON array.
    static func attemptsJSON(_ attempts: [RunAttempt]) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(decoding: try encoder.encode(attempts), as: UTF8.self)
    }

    /// The run stored in `row` (a `SELECT *` of `runs`).
    static func run(_ row: PostgresRandomAccessRow) throws -> Run {
        let stateText = try row.text("state")
        let typeText = try row.text("content_type")
        guard let state = RunState(rawValue: stateText) else { throw StoreError(.corrupt, "The database holds an unknown run state: \(stateText)") }
        guard let type = RunItem.ContentType(rawValue: typeText) else {
            throw StoreError(.corrupt, "The database holds an unknown content type: \(typeText)")
        }
        let attempts: [RunAttempt]
        do {
            attempts = try JSONDecoder().decode([RunAttempt].self, from: Data(try row.text("attempts").utf8))
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(.corrupt, "The database holds unreadable attempts for a run: \(error)")
        }
        var run = Run(
            id: try row.text("id"), connectionId: try row.text("connection_id"), target: try row.text("target"),
            item: RunItem(contentType: type, tableauId: try row.text("item_id"), name: try row.text("item_name")),
            projectName: try row.optionalText("project_name"), actor: try row.text("actor"),
            idempotencyKey: try row.optionalText("idempotency_key"), deadline: try row.optionalDate("deadline"),
            retryPolicy: RunRetryPolicy(
                maxAttempts: Int(try row.value("retry_max_attempts", as: Int32.self)), delay: try row.value("retry_delay", as: Double.self)),
            createdAt: try row.date("created_at"))
        run.state = state
        run.jobId = try row.optionalText("job_id")
        run.attempts = attempts
        run.notes = try row.optionalText("notes")
        run.cancelRequested = try row.bool("cancel_requested")
        run.updatedAt = try row.date("updated_at")
        run.version = Int(try row.value("version", as: Int32.self))
        if let holder = try row.optionalText("lease_holder"), let until = try row.optionalDate("lease_until") {
            run.lease = RunLease(holder: holder, until: until)
        }
        run.holdsJobSlot = try row.bool("holds_job_slot")
        return run
    }

    /// Runs in `rows`, oldest first (as SQLite orders them: creation time, then id).
    static func runs(_ rows: [PostgresRandomAccessRow]) throws -> [Run] {
        try rows.map(run).sorted { $0.createdAt == $1.createdAt ? $0.id < $1.id : $0.createdAt < $1.createdAt }
    }

    /// SQL list of the non-terminal states: `('accepted', 'triggering', 'waiting')`.
    static let nonTerminalList = "(" + RunState.allCases.filter { !$0.isTerminal }.map { "'\($0.rawValue)'" }.joined(separator: ", ") + ")"
}
