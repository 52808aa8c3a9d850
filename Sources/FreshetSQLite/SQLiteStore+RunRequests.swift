package import Foundation
package import Freshet
import GRDB

/// Requests stored whole, leases in bulk and Tableau job slots (see ``RunStore``).
extension SQLiteStore {
    /// Stores every run of `batch` in one write transaction, or returns the request its key names.
    package func submit(_ batch: RunBatch) async throws -> RunBatchResult {
        let rows = try batch.runs.map(RunRow.insertValues)
        let startedRows = try batch.startedRuns?.map(RunRow.insertValues)
        return try await write { db in
            if let key = batch.idempotencyKey, let earlier = try Self.request(db, connectionId: batch.connectionId, key: key) {
                return .existing(earlier)
            }
            var creations: [RunCreation] = []
            var freeSlots = batch.startedRuns == nil ? 0 : batch.jobSlotLimit - (try Self.jobSlotsInUse(db, connectionId: batch.connectionId))
            for index in batch.runs.indices {
                let (run, holdsSlot) = batch.run(at: index, freeSlots: freeSlots)
                let values = holdsSlot ? startedRows![index] : rows[index]
                if let existing = try Self.runWithItemKey(db, run) {
                    creations.append(RunCreation(run: existing, disposition: .existingIdempotencyKey))
                    continue
                }
                if batch.joiningActive, let active = try Self.activeRun(db, connectionId: run.connectionId, item: run.item) {
                    if let key = run.idempotencyKey {
                        try db.executeCached(
                            sql: "INSERT OR IGNORE INTO run_keys (connection_id, idempotency_key, run_id) VALUES (?, ?, ?)",
                            arguments: [run.connectionId, key, active.id])
                    }
                    creations.append(RunCreation(run: active, disposition: .joinedActive))
                    continue
                }
                // One INSERT with the lease and the job slot; the stored run is known without reading it back.
                let lease = batch.leaseHolder.flatMap { holder in batch.leaseUntil.map { RunLease(holder: holder, until: $0) } }
                do {
                    try db.executeCached(
                        sql: "INSERT INTO runs (\(RunRow.insertColumns), lease_holder, lease_until, holds_job_slot) VALUES (\(Self.placeholders(23)))",
                        arguments: values + [lease?.holder, lease.map { SQLiteTimestamp.text($0.until) }, holdsSlot])
                } catch let error as DatabaseError where error.extendedResultCode == .SQLITE_CONSTRAINT_PRIMARYKEY {
                    throw StoreError(.conflict, "A run with id \(run.id) already exists")
                }
                if holdsSlot { freeSlots -= 1 }
                creations.append(RunCreation(run: RunRow.inserted(run, lease: lease, holdsJobSlot: holdsSlot), disposition: .created))
            }
            if let key = batch.idempotencyKey {
                try db.executeCached(
                    sql: "INSERT INTO request_keys (connection_id, idempotency_key, fingerprint, created_at) VALUES (?, ?, ?, ?)",
                    arguments: [batch.connectionId, key, batch.fingerprint, SQLiteTimestamp.text(batch.runs.first?.createdAt ?? Date())])
            }
            return .stored(creations)
        }
    }

    /// The request stored under `key` on `connectionId`, or nil.
    package func request(connectionId: String, idempotencyKey key: String) async throws -> StoredRequest? {
        try await writer.read { db in try Self.request(db, connectionId: connectionId, key: key) }
    }

    /// Leases up to `limit` free or expired non-terminal runs to `holder` in one UPDATE.
    package func claimRuns(holder: String, until: Date, now: Date, limit: Int) async throws -> [Run] {
        try await write { db in
            try Row.fetchAll(
                db.cachedStatement(
                    sql: """
                        UPDATE runs SET lease_holder = ?1, lease_until = ?2
                        WHERE id IN (
                            SELECT id FROM runs WHERE state IN \(RunRow.nonTerminalList) AND (lease_holder IS NULL OR lease_until <= ?3)
                            ORDER BY created_at, id LIMIT ?4)
                        RETURNING *
                        """),
                arguments: [holder, SQLiteTimestamp.text(until), SQLiteTimestamp.text(now), max(0, limit)]
            ).map(RunRow.run).sorted { $0.createdAt == $1.createdAt ? $0.id < $1.id : $0.createdAt < $1.createdAt }
        }
    }

    /// Extends every lease `holder` has on a non-terminal run, in one UPDATE.
    package func renewLeases(holder: String, until: Date, now: Date) async throws -> Set<String> {
        try await write { db in
            Set(
                try String.fetchAll(
                    db.cachedStatement(
                        sql: "UPDATE runs SET lease_until = ?1 WHERE lease_holder = ?2 AND state IN \(RunRow.nonTerminalList) RETURNING id"),
                    arguments: [SQLiteTimestamp.text(until), holder]))
        }
    }

    /// Drops every lease `holder` has.
    package func releaseLeases(holder: String) async throws {
        try await write { db in
            try db.executeCached(sql: "UPDATE runs SET lease_holder = NULL, lease_until = NULL WHERE lease_holder = ?", arguments: [holder])
        }
    }

    /// The earliest lapse after `now` of another holder's lease on a non-terminal run.
    package func nextLeaseExpiry(excluding holder: String, now: Date) async throws -> Date? {
        try await writer.read { db in
            let text = try String.fetchOne(
                db.cachedStatement(
                    sql: """
                        SELECT MIN(lease_until) FROM runs
                        WHERE state IN \(RunRow.nonTerminalList) AND lease_holder IS NOT NULL AND lease_holder <> ? AND lease_until > ?
                        """),
                arguments: [holder, SQLiteTimestamp.text(now)])
            return text.flatMap { SQLiteTimestamp.date($0) }
        }
    }

    /// Takes a job slot for `runId` in one UPDATE whose condition counts the connection's slots,
    /// so that two processes can never both take the last one.
    package func acquireJobSlot(runId: String, connectionId: String, limit: Int) async throws -> Bool {
        try await write { db in
            try db.executeCached(
                sql: """
                    UPDATE runs SET holds_job_slot = 1
                    WHERE id = ?1 AND holds_job_slot = 0 AND state IN \(RunRow.nonTerminalList)
                        AND (SELECT COUNT(*) FROM runs WHERE connection_id = ?2 AND holds_job_slot = 1) < ?3
                    """,
                arguments: [runId, connectionId, limit])
            if db.changesCount > 0 { return true }
            return try Bool.fetchOne(db, sql: "SELECT holds_job_slot FROM runs WHERE id = ?", arguments: [runId]) ?? false
        }
    }

    /// Frees run `runId`'s job slot.
    package func releaseJobSlot(runId: String) async throws {
        try await write { db in
            try db.executeCached(sql: "UPDATE runs SET holds_job_slot = 0 WHERE id = ? AND holds_job_slot = 1", arguments: [runId])
        }
    }

    /// Runs of `connectionId` holding a job slot.
    package func jobSlotsInUse(connectionId: String) async throws -> Int {
        try await writer.read { db in try Self.jobSlotsInUse(db, connectionId: connectionId) }
    }

    static func jobSlotsInUse(_ db: Database, connectionId: String) throws -> Int {
        try Int.fetchOne(
            db.cachedStatement(sql: "SELECT COUNT(*) FROM runs WHERE connection_id = ? AND holds_job_slot = 1"), arguments: [connectionId]) ?? 0
    }

    static func request(_ db: Database, connectionId: String, key: String) throws -> StoredRequest? {
        let fingerprint = try String.fetchOne(
            db.cachedStatement(sql: "SELECT fingerprint FROM request_keys WHERE connection_id = ? AND idempotency_key = ?"),
            arguments: [connectionId, key])
        let runs = try runs(db, connectionId: connectionId, key: key)
        guard fingerprint != nil || !runs.isEmpty else { return nil }
        return StoredRequest(fingerprint: fingerprint, runs: runs)
    }

    /// The run already stored or joined under `run`'s own (per-item) key.
    static func runWithItemKey(_ db: Database, _ run: Run) throws -> Run? {
        guard let key = run.idempotencyKey else { return nil }
        if let joined = try Row.fetchOne(
            db.cachedStatement(
                sql: "SELECT runs.* FROM run_keys JOIN runs ON runs.id = run_keys.run_id WHERE run_keys.connection_id = ? AND run_keys.idempotency_key = ?"),
            arguments: [run.connectionId, key])
        {
            return try RunRow.run(joined)
        }
        return try Row.fetchOne(
            db.cachedStatement(sql: "SELECT * FROM runs WHERE connection_id = ? AND idempotency_key = ?"), arguments: [run.connectionId, key]
        ).map(RunRow.run)
    }
}
