package import Foundation
package import Freshet
import PostgresNIO

extension PostgresStore: RunStore {
    private static var active: String { PostgresRunColumns.nonTerminalList }

    /// Stores `run`, unless its connection already has a run with its idempotency key, or (when
    /// `joiningActive`) an active run for its item: then returns that one. One call of
    /// `freshet_submit` (a batch of one run without a request key), as ``submit(_:)``.
    package func create(_ run: Run, joiningActive: Bool) async throws -> RunCreation {
        let batch = RunBatch(connectionId: run.connectionId, idempotencyKey: nil, fingerprint: "", runs: [run], joiningActive: joiningActive)
        guard case .stored(let creations) = try await submit(batch), let creation = creations.first else {
            throw StoreError("The run \(run.id) vanished while it was stored")
        }
        return creation
    }

    /// Runs stored or joined under `key` or `key#…` on `connectionId`, oldest first.
    package func runs(connectionId: String, idempotencyKey key: String) async throws -> [Run] {
        try await database.connection { connection in try await runs(connectionId: connectionId, key: key, on: connection) }
    }

    /// The run with `id`, or nil.
    package func run(id: String) async throws -> Run? {
        try await rows("SELECT * FROM runs WHERE id = \(id)").first.map(PostgresRunColumns.run)
    }

    /// Runs matching `query`, newest first.
    package func runs(_ query: RunQuery) async throws -> [Run] {
        var sql = PostgresQuery.StringInterpolation(literalCapacity: 200, interpolationCount: 5)
        sql.appendLiteral("SELECT * FROM runs WHERE TRUE")
        if let connectionId = query.connectionId { sql.appendLiteral(" AND connection_id = "); sql.appendInterpolation(connectionId) }
        if let states = query.states {
            sql.appendLiteral(" AND state = ANY(")
            sql.appendInterpolation(states.map(\.rawValue).sorted())
            sql.appendLiteral(")")
        }
        if let since = query.since { sql.appendLiteral(" AND created_at >= "); sql.appendInterpolation(since.pg) }
        if let until = query.until { sql.appendLiteral(" AND created_at <= "); sql.appendInterpolation(until.pg) }
        sql.appendLiteral(" ORDER BY created_at DESC, id DESC LIMIT ")
        sql.appendInterpolation(query.limit)
        return try await rows(PostgresQuery(stringInterpolation: sql)).map(PostgresRunColumns.run)
    }

    /// Writes the state-machine fields of `run` if the stored version is still `expectedVersion`
    /// (one UPDATE, so two processes cannot both apply), and notifies ``PostgresDatabase/runChannel``;
    /// nil when it is not.
    package func transition(_ run: Run, expectedVersion: Int, now: Date) async throws -> Run? {
        let attempts = try PostgresRunColumns.attemptsJSON(run.attempts)
        // The NOTIFY (delivered at commit) wakes long-polls in other processes (PostgresRunChangeFeed).
        let update: PostgresQuery = """
            WITH updated AS (
                UPDATE runs SET state = \(run.state.rawValue), job_id = \(run.jobId), attempts = \(attempts), notes = \(run.notes),
                    cancel_requested = \(run.cancelRequested), updated_at = \(now.pg), version = version + 1,
                    holds_job_slot = holds_job_slot AND NOT \(run.state.isTerminal), item_name = \(run.item.name)
                WHERE id = \(run.id) AND version = \(expectedVersion)
                RETURNING *)
            SELECT updated.*, pg_notify(\(database.runChannel), updated.id) IS NULL AS notified FROM updated
            """
        let updated = try await rows(update).first.map(PostgresRunColumns.run)
        if let updated, updated.state.isTerminal {
            // The item's freshness and the run's alert, right after the run's end (a transaction of
            // their own, so the NOTIFY above is not held back by them; a crash in between loses them).
            try await database.transaction { connection in try await recordFreshness(of: updated, at: now, on: connection) }
        }
        if let updated { return updated }
        guard try await self.run(id: run.id) != nil else { throw StoreError(.notFound, "No run with id \(run.id)") }
        return nil
    }

    /// The non-terminal run of `connectionId` for `item`, or nil.
    package func activeRun(connectionId: String, item: RunItem) async throws -> Run? {
        try await database.connection { connection in try await activeRun(connectionId: connectionId, item: item, on: connection) }
    }

    /// Every non-terminal run, oldest first.
    package func nonTerminalRuns() async throws -> [Run] {
        try await rows("SELECT * FROM runs WHERE state IN \(unescaped: Self.active) ORDER BY created_at, id").map(PostgresRunColumns.run)
    }

    /// How many runs have not ended.
    package func nonTerminalRunCount() async throws -> Int {
        Int(
            try await rows("SELECT count(*) AS runs FROM runs WHERE state IN \(unescaped: Self.active)").first?.value("runs", as: Int64.self) ?? 0)
    }

    /// Takes the lease of a non-terminal run that is free, expired or already `holder`'s; one
    /// UPDATE (PostgreSQL re-checks its condition on a row another transaction just changed).
    package func claim(runId: String, holder: String, until: Date, now: Date) async throws -> Bool {
        try await !rows(
            """
            UPDATE runs SET lease_holder = \(holder), lease_until = \(until.pg)
            WHERE id = \(runId) AND state IN \(unescaped: Self.active)
                AND (lease_holder IS NULL OR lease_holder = \(holder) OR lease_until <= \(now.pg))
            RETURNING id
            """
        ).isEmpty
    }

    /// Extends `holder`'s lease if it still has it and the run has not ended.
    package func renew(runId: String, holder: String, until: Date, now: Date) async throws -> Bool {
        try await !rows(
            """
            UPDATE runs SET lease_until = \(until.pg)
            WHERE id = \(runId) AND lease_holder = \(holder) AND state IN \(unescaped: Self.active) RETURNING id
            """
        ).isEmpty
    }

    /// Drops `holder`'s lease.
    package func release(runId: String, holder: String) async throws {
        _ = try await rows("UPDATE runs SET lease_holder = NULL, lease_until = NULL WHERE id = \(runId) AND lease_holder = \(holder)")
    }

    // MARK: Shared with requests

    func runs(connectionId: String, key: String, on connection: PostgresConnection) async throws -> [Run] {
        // Exact and case-sensitive: the key itself, or a key starting with the key and "#" — as a
        // range in byte order ("#" ≤ next < "$"; the columns collate "C"), which the
        // (connection_id, idempotency_key) indexes answer.
        let low = key + "#"
        let high = key + "$"
        return try PostgresRunColumns.runs(
            try await rows(
                """
                SELECT * FROM runs WHERE connection_id = \(connectionId)
                    AND (idempotency_key = \(key) OR (idempotency_key >= \(low) AND idempotency_key < \(high)))
                UNION
                SELECT runs.* FROM run_keys JOIN runs ON runs.id = run_keys.run_id
                WHERE run_keys.connection_id = \(connectionId)
                    AND (run_keys.idempotency_key = \(key) OR (run_keys.idempotency_key >= \(low) AND run_keys.idempotency_key < \(high)))
                """, on: connection))
    }

    func activeRun(connectionId: String, item: RunItem, on connection: PostgresConnection) async throws -> Run? {
        try await rows(
            """
            SELECT * FROM runs WHERE connection_id = \(connectionId) AND content_type = \(item.contentType.rawValue)
                AND item_id = \(item.tableauId) AND state IN \(unescaped: Self.active)
            ORDER BY created_at, id LIMIT 1
            """, on: connection
        ).first.map(PostgresRunColumns.run)
    }
}
