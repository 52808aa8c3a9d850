package import Foundation
package import Freshet
import GRDB

extension SQLiteStore: RunStore {
    /// Stores `run` in one transaction, unless its connection already has a run with its
    /// idempotency key, or (when `joiningActive`) an active run for its item: then returns that one.
    package func create(_ run: Run, joiningActive: Bool) async throws -> RunCreation {
        let values = try RunRow.insertValues(run)
        return try await write { db in
            if let existing = try Self.runWithItemKey(db, run) {
                return RunCreation(run: existing, disposition: .existingIdempotencyKey)
            }
            if joiningActive, let active = try Self.activeRun(db, connectionId: run.connectionId, item: run.item) {
                if let key = run.idempotencyKey {
                    try db.executeCached(
                        sql: "INSERT INTO run_keys (connection_id, idempotency_key, run_id) VALUES (?, ?, ?)",
                        arguments: [run.connectionId, key, active.id])
                }
                return RunCreation(run: active, disposition: .joinedActive)
            }
            do {
                try db.executeCached(sql: "INSERT INTO runs (\(RunRow.insertColumns)) VALUES (\(Self.placeholders(20)))", arguments: values)
            } catch let error as DatabaseError where error.extendedResultCode == .SQLITE_CONSTRAINT_PRIMARYKEY {
                throw StoreError(.conflict, "A run with id \(run.id) already exists")
            }
            return RunCreation(run: RunRow.inserted(run, lease: nil, holdsJobSlot: false), disposition: .created)
        }
    }

    /// Runs stored or joined under `key` or `key#…` on `connectionId`, oldest first.
    package func runs(connectionId: String, idempotencyKey key: String) async throws -> [Run] {
        try await writer.read { db in try Self.runs(db, connectionId: connectionId, key: key) }
    }

    static func runs(_ db: Database, connectionId: String, key: String) throws -> [Run] {
        // Exact and case-sensitive, unlike LIKE: the key itself, or a key starting with the key and
        // "#" — as a range ("#" ≤ next < "$" in binary order), so the (connection_id,
        // idempotency_key) indexes answer it without scanning the connection's runs.
        try Row.fetchAll(
            db.cachedStatement(
                sql: """
                    SELECT * FROM runs WHERE connection_id = ?1
                        AND (idempotency_key = ?2 OR (idempotency_key >= ?2 || '#' AND idempotency_key < ?2 || '$'))
                    UNION
                    SELECT runs.* FROM run_keys JOIN runs ON runs.id = run_keys.run_id
                    WHERE run_keys.connection_id = ?1
                        AND (run_keys.idempotency_key = ?2 OR (run_keys.idempotency_key >= ?2 || '#' AND run_keys.idempotency_key < ?2 || '$'))
                    ORDER BY created_at, id
                    """),
            arguments: [connectionId, key]
        ).map(RunRow.run)
    }

    /// The run with `id`, or nil.
    package func run(id: String) async throws -> Run? {
        try await writer.read { db in try Self.run(db, id: id) }
    }

    /// Runs matching `query`, newest first.
    package func runs(_ query: RunQuery) async throws -> [Run] {
        var conditions: [String] = []
        var arguments: [String] = []
        if let connectionId = query.connectionId {
            conditions.append("connection_id = ?")
            arguments.append(connectionId)
        }
        if let states = query.states {
            conditions.append("state IN (\(Self.placeholders(states.count)))")
            arguments += states.map(\.rawValue).sorted()
        }
        if let since = query.since {
            conditions.append("created_at >= ?")
            arguments.append(SQLiteTimestamp.text(since))
        }
        if let until = query.until {
            conditions.append("created_at <= ?")
            arguments.append(SQLiteTimestamp.text(until))
        }
        let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        let (sql, values) = ("SELECT * FROM runs \(filter) ORDER BY created_at DESC, id DESC LIMIT \(query.limit)", arguments)
        return try await writer.read { db in
            try Row.fetchAll(db, sql: sql, arguments: StatementArguments(values)).map(RunRow.run)
        }
    }

    /// Writes the state-machine fields of `run` if the stored version is still `expectedVersion`
    /// (one UPDATE, so two processes cannot both apply); nil when it is not.
    package func transition(_ run: Run, expectedVersion: Int, now: Date) async throws -> Run? {
        let attempts = try RunRow.attemptsJSON(run.attempts)
        return try await write { db in
            // The run's item freshness changes in the same transaction as the run's end.
            let ending =
                run.state.isTerminal
                ? try String.fetchOne(
                    db.cachedStatement(sql: "SELECT state FROM runs WHERE id = ? AND version = ?"), arguments: [run.id, expectedVersion]
                ).flatMap(RunState.init(rawValue:)).map { !$0.isTerminal } ?? false : false
            // The run comes back with the UPDATE (RETURNING); its attempts are those just written.
            let written = try Row.fetchOne(
                db.cachedStatement(
                    sql: """
                        UPDATE runs SET state = ?, job_id = ?, attempts = ?, notes = ?, cancel_requested = ?, updated_at = ?,
                            version = version + 1, holds_job_slot = CASE WHEN ? THEN 0 ELSE holds_job_slot END, item_name = ?
                        WHERE id = ? AND version = ?
                        RETURNING *
                        """),
                arguments: [
                    run.state.rawValue, run.jobId, attempts, run.notes, run.cancelRequested, SQLiteTimestamp.text(now), run.state.isTerminal,
                    run.item.name, run.id, expectedVersion,
                ])
            guard let written else {
                guard try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM runs WHERE id = ?"), arguments: [run.id]) != nil else {
                    throw StoreError(.notFound, "No run with id \(run.id)")
                }
                return nil
            }
            let stored = try RunRow.run(written, attempts: run.attempts)
            if ending { try Self.recordFreshness(db, of: stored, at: now) }
            return stored
        }
    }

    /// The non-terminal run of `connectionId` for `item`, or nil.
    package func activeRun(connectionId: String, item: RunItem) async throws -> Run? {
        try await writer.read { db in try Self.activeRun(db, connectionId: connectionId, item: item) }
    }

    /// Every non-terminal run, oldest first.
    package func nonTerminalRuns() async throws -> [Run] {
        try await writer.read { db in
            try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM runs WHERE state IN \(RunRow.nonTerminalList) ORDER BY created_at, id"))
                .map(RunRow.run)
        }
    }

    /// How many runs have not ended.
    package func nonTerminalRunCount() async throws -> Int {
        try await writer.read { db in
            try Int.fetchOne(db.cachedStatement(sql: "SELECT COUNT(*) FROM runs WHERE state IN \(RunRow.nonTerminalList)")) ?? 0
        }
    }

    /// Takes the lease of a non-terminal run that is free, expired or already `holder`'s; one
    /// UPDATE, so atomic across processes.
    package func claim(runId: String, holder: String, until: Date, now: Date) async throws -> Bool {
        try await write { db in
            try db.executeCached(
                sql: """
                    UPDATE runs SET lease_holder = ?2, lease_until = ?3
                    WHERE id = ?1 AND state IN \(RunRow.nonTerminalList)
                        AND (lease_holder IS NULL OR lease_holder = ?2 OR lease_until <= ?4)
                    """,
                arguments: [runId, holder, SQLiteTimestamp.text(until), SQLiteTimestamp.text(now)])
            return db.changesCount > 0
        }
    }

    /// Extends `holder`'s lease if it still has it and the run has not ended.
    package func renew(runId: String, holder: String, until: Date, now: Date) async throws -> Bool {
        try await write { db in
            try db.executeCached(
                sql: "UPDATE runs SET lease_until = ? WHERE id = ? AND lease_holder = ? AND state IN \(RunRow.nonTerminalList)",
                arguments: [SQLiteTimestamp.text(until), runId, holder])
            return db.changesCount > 0
        }
    }

    /// Drops `holder`'s lease.
    package func release(runId: String, holder: String) async throws {
        try await write { db in
            try db.executeCached(
                sql: "UPDATE runs SET lease_holder = NULL, lease_until = NULL WHERE id = ? AND lease_holder = ?",
                arguments: [runId, holder])
        }
    }

    static func run(_ db: Database, id: String) throws -> Run? {
        try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM runs WHERE id = ?"), arguments: [id]).map(RunRow.run)
    }

    static func activeRun(_ db: Database, connectionId: String, item: RunItem) throws -> Run? {
        try Row.fetchOne(
            db.cachedStatement(
                sql: """
                    SELECT * FROM runs WHERE connection_id = ? AND content_type = ? AND item_id = ? AND state IN \(RunRow.nonTerminalList)
                    ORDER BY created_at, id LIMIT 1
                    """),
            arguments: [connectionId, item.contentType.rawValue, item.tableauId]
        ).map(RunRow.run)
    }

    static func placeholders(_ count: Int) -> String {
        Array(repeating: "?", count: count).joined(separator: ", ")
    }
}
