package import Foundation
package import Freshet
import PostgresNIO

/// Requests stored whole, leases in bulk and Tableau job slots (see ``RunStore``).
extension PostgresStore {
    private static var active: String { PostgresRunColumns.nonTerminalList }

    /// Stores every run of `batch` in one transaction holding the connection's request lock, or
    /// returns the request its key names.
    package func submit(_ batch: RunBatch) async throws -> RunBatchResult {
        let inserts = try batch.runs.indices.map { index in
            (
                plain: try PostgresRunColumns.insert(batch.runs[index], holder: batch.leaseHolder, until: batch.leaseUntil),
                started: try batch.startedRuns.map { started in
                    try PostgresRunColumns.insert(started[index], holder: batch.leaseHolder, until: batch.leaseUntil, holdsSlot: true)
                }
            )
        }
        return try await database.transaction { connection in
            try await lockRequests(of: batch.connectionId, on: connection)
            if let key = batch.idempotencyKey, let earlier = try await request(connectionId: batch.connectionId, key: key, on: connection) {
                return .existing(earlier)
            }
            var creations: [RunCreation] = []
            var freeSlots =
                batch.startedRuns == nil ? 0 : batch.jobSlotLimit - (try await jobSlotsInUse(connectionId: batch.connectionId, on: connection))
            for index in batch.runs.indices {
                let (run, holdsSlot) = batch.run(at: index, freeSlots: freeSlots)
                if let existing = try await runWithItemKey(run, on: connection) {
                    creations.append(RunCreation(run: existing, disposition: .existingIdempotencyKey))
                    continue
                }
                if batch.joiningActive, let active = try await activeRun(connectionId: run.connectionId, item: run.item, on: connection) {
                    if let key = run.idempotencyKey {
                        try await connection.query(
                            """
                            INSERT INTO run_keys (connection_id, idempotency_key, run_id) VALUES (\(run.connectionId), \(key), \(active.id))
                            ON CONFLICT DO NOTHING
                            """, logger: logger)
                    }
                    creations.append(RunCreation(run: active, disposition: .joinedActive))
                    continue
                }
                let insert = holdsSlot ? inserts[index].started! : inserts[index].plain
                creations.append(RunCreation(run: try await insertRun(insert, id: run.id, on: connection), disposition: .created))
                if holdsSlot { freeSlots -= 1 }
            }
            if let key = batch.idempotencyKey {
                let createdAt = batch.runs.first?.createdAt ?? Date()
                try await connection.query(
                    """
                    INSERT INTO request_keys (connection_id, idempotency_key, fingerprint, created_at)
                    VALUES (\(batch.connectionId), \(key), \(batch.fingerprint), \(createdAt.pg))
                    """, logger: logger)
            }
            return .stored(creations)
        }
    }

    /// The request stored under `key` on `connectionId`, or nil.
    package func request(connectionId: String, idempotencyKey key: String) async throws -> StoredRequest? {
        try await database.connection { connection in try await request(connectionId: connectionId, key: key, on: connection) }
    }

    /// Leases up to `limit` free or expired non-terminal runs to `holder` in one UPDATE; the rows
    /// are picked `FOR UPDATE SKIP LOCKED`, so processes claiming at once never wait for each
    /// other and never get the same run.
    package func claimRuns(holder: String, until: Date, now: Date, limit: Int) async throws -> [Run] {
        guard limit > 0 else { return [] }
        return try PostgresRunColumns.runs(
            try await rows(
                """
                UPDATE runs SET lease_holder = \(holder), lease_until = \(until.pg)
                WHERE id IN (
                    SELECT id FROM runs
                    WHERE state IN \(unescaped: Self.active) AND (lease_holder IS NULL OR lease_until <= \(now.pg))
                    ORDER BY created_at, id LIMIT \(limit)
                    FOR UPDATE SKIP LOCKED)
                RETURNING *
                """))
    }

    /// Extends every lease `holder` has on a non-terminal run, in one UPDATE.
    package func renewLeases(holder: String, until: Date, now: Date) async throws -> Set<String> {
        let renewed = try await rows(
            """
            UPDATE runs SET lease_until = \(until.pg) WHERE lease_holder = \(holder) AND state IN \(unescaped: Self.active) RETURNING id
            """)
        return Set(try renewed.map { try $0.text("id") })
    }

    /// Drops every lease `holder` has.
    package func releaseLeases(holder: String) async throws {
        _ = try await rows("UPDATE runs SET lease_holder = NULL, lease_until = NULL WHERE lease_holder = \(holder)")
    }

    /// The earliest lapse after `now` of another holder's lease on a non-terminal run.
    package func nextLeaseExpiry(excluding holder: String, now: Date) async throws -> Date? {
        try await rows(
            """
            SELECT min(lease_until) AS next FROM runs
            WHERE state IN \(unescaped: Self.active) AND lease_holder IS NOT NULL AND lease_holder <> \(holder) AND lease_until > \(now.pg)
            """
        ).first?.optionalDate("next")
    }

    /// Takes a job slot for `runId` while the connection holds fewer than `limit`: the count and
    /// the UPDATE run under the connection's request lock, so two processes can never both take
    /// the last slot.
    package func acquireJobSlot(runId: String, connectionId: String, limit: Int) async throws -> Bool {
        try await database.transaction { connection in
            try await lockRequests(of: connectionId, on: connection)
            let taken = try await rows(
                """
                UPDATE runs SET holds_job_slot = TRUE
                WHERE id = \(runId) AND NOT holds_job_slot AND state IN \(unescaped: Self.active)
                    AND (SELECT count(*) FROM runs WHERE connection_id = \(connectionId) AND holds_job_slot) < \(limit)
                RETURNING id
                """, on: connection)
            if !taken.isEmpty { return true }
            return try await rows("SELECT holds_job_slot FROM runs WHERE id = \(runId)", on: connection).first?.bool("holds_job_slot") ?? false
        }
    }

    /// Frees run `runId`'s job slot.
    package func releaseJobSlot(runId: String) async throws {
        _ = try await rows("UPDATE runs SET holds_job_slot = FALSE WHERE id = \(runId) AND holds_job_slot")
    }

    /// Runs of `connectionId` holding a job slot.
    package func jobSlotsInUse(connectionId: String) async throws -> Int {
        try await database.connection { connection in try await jobSlotsInUse(connectionId: connectionId, on: connection) }
    }

    func jobSlotsInUse(connectionId: String, on connection: PostgresConnection) async throws -> Int {
        Int(
            try await rows("SELECT count(*) AS slots FROM runs WHERE connection_id = \(connectionId) AND holds_job_slot", on: connection)
                .first?.value("slots", as: Int64.self) ?? 0)
    }

    func request(connectionId: String, key: String, on connection: PostgresConnection) async throws -> StoredRequest? {
        let fingerprint = try await rows(
            "SELECT fingerprint FROM request_keys WHERE connection_id = \(connectionId) AND idempotency_key = \(key)", on: connection
        ).first?.text("fingerprint")
        let runs = try await runs(connectionId: connectionId, key: key, on: connection)
        guard fingerprint != nil || !runs.isEmpty else { return nil }
        return StoredRequest(fingerprint: fingerprint, runs: runs)
    }
}
