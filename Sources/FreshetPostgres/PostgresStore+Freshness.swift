package import Foundation
package import Freshet
import PostgresNIO

extension PostgresStore: FreshnessStore {
    /// Updates the freshness record of `run`'s item for the run that just ended, and enqueues its
    /// alert, inside the transaction that stored the run's end.
    func recordFreshness(of run: Run, at now: Date, on connection: PostgresConnection) async throws {
        let key = FreshnessKey(connectionId: run.connectionId, contentType: run.item.contentType, tableauId: run.item.tableauId)
        let existing = try await freshness(key, on: connection)
        if let alert = AlertEvent.runEnded(run, previous: existing, at: now) { try await enqueueAlert(alert, now: now, on: connection) }
        guard let record = ItemFreshness.recording(run, onto: existing, at: now) else { return }
        try await write(record, on: connection)
    }

    /// The record of `key`, locked for the transaction.
    func freshness(_ key: FreshnessKey, on connection: PostgresConnection) async throws -> ItemFreshness? {
        try await rows(
            """
            SELECT * FROM item_freshness WHERE connection_id = \(key.connectionId) AND content_type = \(key.contentType.rawValue)
                AND item_id = \(key.tableauId) FOR UPDATE
            """, on: connection
        ).first.map(Self.freshness)
    }

    /// Writes `record` whole.
    func write(_ record: ItemFreshness, on connection: PostgresConnection) async throws {
        let pipeline = try record.pipelineFailure.map { try StoredJSON.text($0) }
        _ = try await rows(
            """
            INSERT INTO item_freshness (connection_id, content_type, item_id, item_name, project_name, last_success_at, last_success_run_id,
                last_failure_at, last_failure_run_id, last_failure_reason, stale_since, updated_at, pipeline_failure)
            VALUES (\(record.connectionId), \(record.item.contentType.rawValue), \(record.item.tableauId), \(record.item.name), \(record.projectName),
                \(record.lastSuccessAt?.pg), \(record.lastSuccessRunId), \(record.lastFailureAt?.pg), \(record.lastFailureRunId),
                \(record.lastFailureReason), \(record.staleSince?.pg), \(record.updatedAt.pg), \(pipeline))
            ON CONFLICT (connection_id, content_type, item_id) DO UPDATE SET item_name = EXCLUDED.item_name, project_name = EXCLUDED.project_name,
                last_success_at = EXCLUDED.last_success_at, last_success_run_id = EXCLUDED.last_success_run_id,
                last_failure_at = EXCLUDED.last_failure_at, last_failure_run_id = EXCLUDED.last_failure_run_id,
                last_failure_reason = EXCLUDED.last_failure_reason, stale_since = EXCLUDED.stale_since, updated_at = EXCLUDED.updated_at,
                pipeline_failure = EXCLUDED.pipeline_failure
            """, on: connection)
    }

    package func freshness(_ query: FreshnessQuery) async throws -> [ItemFreshness] {
        let all = query.connectionId == nil && query.projectName == nil
        let rows =
            all
            ? try await rows("SELECT * FROM item_freshness")
            : try await rows(
                """
                SELECT * FROM item_freshness WHERE (\(query.connectionId)::text IS NULL OR connection_id = \(query.connectionId))
                    AND (\(query.projectName)::text IS NULL OR project_name = \(query.projectName))
                """)
        return try rows.map(Self.freshness).sortedForListing()
    }

    package func markStale(_ key: FreshnessKey, staleSince: Date?, expected: Date?, now: Date, alert: AlertEvent?) async throws -> Bool {
        try await database.transaction { connection in
            let changed = try await !rows(
                """
                UPDATE item_freshness SET stale_since = \(staleSince?.pg), updated_at = \(now.pg)
                WHERE connection_id = \(key.connectionId) AND content_type = \(key.contentType.rawValue) AND item_id = \(key.tableauId)
                    AND stale_since IS NOT DISTINCT FROM \(expected?.pg)
                RETURNING item_id
                """, on: connection
            ).isEmpty
            if changed, let alert { try await enqueueAlert(alert, now: now, on: connection) }
            return changed
        }
    }

    package func freshnessPolicies() async throws -> [FreshnessPolicy] {
        try await rows("SELECT * FROM freshness_policies ORDER BY scope_id").map(Self.policy)
    }

    package func setFreshnessPolicy(_ policy: FreshnessPolicy) async throws {
        var (project, type, itemId): (String?, String?, String?) = (nil, nil, nil)
        switch policy.scope {
        case .connection: break
        case .project(_, let name): project = name
        case .item(let key): (type, itemId) = (key.contentType.rawValue, key.tableauId)
        }
        _ = try await rows(
            """
            INSERT INTO freshness_policies (scope_id, scope_kind, connection_id, project_name, content_type, item_id, item_name, max_age_seconds,
                set_by, set_at)
            VALUES (\(policy.scope.id), \(policy.scope.kind), \(policy.scope.connectionId), \(project), \(type), \(itemId), \(policy.itemName),
                \(policy.maxAgeSeconds), \(policy.setBy), \(policy.setAt.pg))
            ON CONFLICT (scope_id) DO UPDATE SET max_age_seconds = EXCLUDED.max_age_seconds, item_name = EXCLUDED.item_name,
                set_by = EXCLUDED.set_by, set_at = EXCLUDED.set_at
            """)
    }

    package func removeFreshnessPolicy(_ scope: FreshnessPolicy.Scope) async throws -> Bool {
        try await !rows("DELETE FROM freshness_policies WHERE scope_id = \(scope.id) RETURNING scope_id").isEmpty
    }

    static func freshness(_ row: PostgresRandomAccessRow) throws -> ItemFreshness {
        let typeText = try row.text("content_type")
        guard let type = RunItem.ContentType(rawValue: typeText) else { throw StoreError(.corrupt, "The database holds an unknown content type: \(typeText)") }
        var record = ItemFreshness(
            connectionId: try row.text("connection_id"), item: RunItem(contentType: type, tableauId: try row.text("item_id"), name: try row.text("item_name")),
            projectName: try row.optionalText("project_name"), updatedAt: try row.date("updated_at"))
        record.lastSuccessAt = try row.optionalDate("last_success_at")
        record.lastSuccessRunId = try row.optionalText("last_success_run_id")
        record.lastFailureAt = try row.optionalDate("last_failure_at")
        record.lastFailureRunId = try row.optionalText("last_failure_run_id")
        record.lastFailureReason = try row.optionalText("last_failure_reason")
        record.staleSince = try row.optionalDate("stale_since")
        if let failure = try row.optionalText("pipeline_failure") { record.pipelineFailure = try StoredJSON.value(PipelineFailure.self, failure) }
        return record
    }

    static func policy(_ row: PostgresRandomAccessRow) throws -> FreshnessPolicy {
        let connectionId = try row.text("connection_id")
        let scope: FreshnessPolicy.Scope
        switch try row.text("scope_kind") {
        case "connection": scope = .connection(connectionId: connectionId)
        case "project": scope = .project(connectionId: connectionId, name: try row.text("project_name"))
        default:
            let typeText = try row.text("content_type")
            guard let type = RunItem.ContentType(rawValue: typeText) else { throw StoreError(.corrupt, "The database holds an unknown content type: \(typeText)") }
            scope = .item(FreshnessKey(connectionId: connectionId, contentType: type, tableauId: try row.text("item_id")))
        }
        return FreshnessPolicy(
            scope: scope, maxAgeSeconds: try row.value("max_age_seconds", as: Double.self), itemName: try row.optionalText("item_name"),
            setBy: try row.text("set_by"), setAt: try row.date("set_at"))
    }
}

extension PostgresStore: PipelineEventStore {
    package func recordPipelineEvent(_ event: PipelineEvent) async throws -> (event: PipelineEvent, repeated: Bool) {
        let json = try StoredJSON.text(event)
        return try await database.transaction { connection in
            try await lockRequests(of: event.connectionId, on: connection)
            if let stored = try await rows(
                "SELECT event FROM pipeline_events WHERE connection_id = \(event.connectionId) AND event_id = \(event.eventId)", on: connection
            ).first {
                return (try StoredJSON.value(PipelineEvent.self, try stored.text("event")), true)
            }
            for item in event.items {
                let key = FreshnessKey(connectionId: event.connectionId, contentType: item.item.contentType, tableauId: item.item.tableauId)
                if let record = ItemFreshness.applying(event, to: item, onto: try await freshness(key, on: connection)) {
                    try await write(record, on: connection)
                }
            }
            _ = try await rows(
                """
                INSERT INTO pipeline_events (connection_id, event_id, event, received_at)
                VALUES (\(event.connectionId), \(event.eventId), \(json), \(event.receivedAt.pg))
                """, on: connection)
            return (event, false)
        }
    }

    package func pipelineEvents(connectionId: String?, limit: Int) async throws -> [PipelineEvent] {
        try await rows(
            """
            SELECT event FROM pipeline_events WHERE (\(connectionId)::text IS NULL OR connection_id = \(connectionId))
            ORDER BY received_at DESC LIMIT \(limit)
            """
        ).map { try StoredJSON.value(PipelineEvent.self, try $0.text("event")) }
    }
}
