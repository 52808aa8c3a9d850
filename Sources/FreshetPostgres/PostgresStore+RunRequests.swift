package import Foundation
package import Freshet
import PostgresNIO

/// Requests stored whole, leases in bulk and Tableau job slots (see ``RunStore``).
extension PostgresStore {
    private static var active: String { PostgresRunColumns.nonTerminalList }

    /// Stores every run of `batch`, or returns the request its key names, in one call of
    /// `freshet_submit` (PostgresSchema+Submit.swift): the connection's request lock is held
    /// while the server decides and writes, not across round trips. The runs are read after.
    package func submit(_ batch: RunBatch) async throws -> RunBatchResult {
        let runs = try PostgresSubmitEntry.json(batch)
        let createdAt = (batch.runs.first?.createdAt ?? Date()).pg.milliseconds
        // A run id taken already fails the call as a ``StoreError`` of code `.conflict` (PostgresDatabase.storeError).
        let decided = try await rows(
            """
            SELECT submitted_id, submitted_as FROM freshet_submit(\(batch.connectionId), \(batch.idempotencyKey), \(batch.fingerprint),
                \(createdAt), \(batch.joiningActive), \(batch.jobSlotLimit)::integer, \(runs)::jsonb)
            """
        ).map { (id: try $0.optionalText("submitted_id"), disposition: try $0.text("submitted_as")) }
        if decided.first?.disposition == "existing", let key = batch.idempotencyKey {
            guard let earlier = try await request(connectionId: batch.connectionId, idempotencyKey: key) else {
                throw StoreError("The request under key \(key) vanished while it was read")
            }
            return .existing(earlier)
        }
        let ids = decided.compactMap(\.id)
        let stored = Dictionary(
            try await rows("SELECT * FROM runs WHERE id = ANY(\(ids))").map(PostgresRunColumns.run).map { ($0.id, $0) },
            uniquingKeysWith: { first, _ in first })
        return .stored(
            try decided.map { id, disposition in
                guard let id, let run = stored[id], let disposition = RunCreation.Disposition(rawValue: disposition) else {
                    throw StoreError("The run \(id ?? "?") vanished while it was stored")
                }
                return RunCreation(run: run, disposition: disposition)
            })
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

    /// Takes a job slot for `runId` while the connection holds fewer than `limit`, in one call of
    /// `freshet_take_job_slot`: the count and the UPDATE run under the connection's request lock,
    /// so two processes can never both take the last slot.
    package func acquireJobSlot(runId: String, connectionId: String, limit: Int) async throws -> Bool {
        try await rows("SELECT freshet_take_job_slot(\(runId), \(connectionId), \(limit)::integer) AS taken").first?.bool("taken") ?? false
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
