package import Foundation
package import Freshet
import GRDB

extension SQLiteStore: FreshnessStore {
    /// Updates the freshness record of `run`'s item for the run that just ended, and enqueues its
    /// alert, inside the transaction that stored the run's end.
    static func recordFreshness(_ db: Database, of run: Run, at now: Date) throws {
        let existing = try freshness(db, FreshnessKey(connectionId: run.connectionId, contentType: run.item.contentType, tableauId: run.item.tableauId))
        if let alert = AlertEvent.runEnded(run, previous: existing, at: now) { try enqueueAlert(db, alert, now: now) }
        guard let record = ItemFreshness.recording(run, onto: existing, at: now) else { return }
        try write(db, record)
    }

    /// Writes `record` whole (insert or replace).
    static func write(_ db: Database, _ record: ItemFreshness) throws {
        try db.executeCached(
            sql: """
                INSERT OR REPLACE INTO item_freshness (connection_id, content_type, item_id, item_name, project_name, last_success_at,
                    last_success_run_id, last_failure_at, last_failure_run_id, last_failure_reason, stale_since, updated_at, pipeline_failure)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                record.connectionId, record.item.contentType.rawValue, record.item.tableauId, record.item.name, record.projectName,
                record.lastSuccessAt.map(SQLiteTimestamp.text), record.lastSuccessRunId, record.lastFailureAt.map(SQLiteTimestamp.text),
                record.lastFailureRunId, record.lastFailureReason, record.staleSince.map(SQLiteTimestamp.text),
                SQLiteTimestamp.text(record.updatedAt), try record.pipelineFailure.map { try StoredJSON.text($0) },
            ])
    }

    /// The stored record of `key`, inside a transaction.
    static func freshness(_ db: Database, _ key: FreshnessKey) throws -> ItemFreshness? {
        try Row.fetchOne(
            db.cachedStatement(sql: "SELECT * FROM item_freshness WHERE connection_id = ? AND content_type = ? AND item_id = ?"),
            arguments: [key.connectionId, key.contentType.rawValue, key.tableauId]
        ).map(freshness)
    }

    package func freshness(_ query: FreshnessQuery) async throws -> [ItemFreshness] {
        var conditions: [String] = []
        var arguments: [String] = []
        if let connectionId = query.connectionId {
            conditions.append("connection_id = ?")
            arguments.append(connectionId)
        }
        if let project = query.projectName {
            conditions.append("project_name = ?")
            arguments.append(project)
        }
        let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        let sql = "SELECT * FROM item_freshness \(filter)"
        let values = arguments
        return try await writer.read { db in
            try Row.fetchAll(db, sql: sql, arguments: StatementArguments(values)).map(Self.freshness)
        }.sortedForListing()
    }

    package func markStale(_ key: FreshnessKey, staleSince: Date?, expected: Date?, now: Date, alert: AlertEvent?) async throws -> Bool {
        try await write { db in
            try db.executeCached(
                sql: """
                    UPDATE item_freshness SET stale_since = ?, updated_at = ?
                    WHERE connection_id = ? AND content_type = ? AND item_id = ? AND stale_since IS ?
                    """,
                arguments: [
                    staleSince.map(SQLiteTimestamp.text), SQLiteTimestamp.text(now), key.connectionId, key.contentType.rawValue, key.tableauId,
                    expected.map(SQLiteTimestamp.text),
                ])
            guard db.changesCount > 0 else { return false }
            if let alert { try Self.enqueueAlert(db, alert, now: now) }
            return true
        }
    }

    package func freshnessPolicies() async throws -> [FreshnessPolicy] {
        try await writer.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM freshness_policies ORDER BY scope_id").map(Self.policy)
        }
    }

    package func setFreshnessPolicy(_ policy: FreshnessPolicy) async throws {
        var project: String?
        var type: String?
        var itemId: String?
        switch policy.scope {
        case .connection: break
        case .project(_, let name): project = name
        case .item(let key):
            type = key.contentType.rawValue
            itemId = key.tableauId
        }
        let (projectName, contentType, tableauId) = (project, type, itemId)
        try await write { db in
            try db.executeCached(
                sql: """
                    INSERT OR REPLACE INTO freshness_policies (scope_id, scope_kind, connection_id, project_name, content_type, item_id,
                        item_name, max_age_seconds, set_by, set_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    policy.scope.id, policy.scope.kind, policy.scope.connectionId, projectName, contentType, tableauId, policy.itemName, policy.maxAgeSeconds,
                    policy.setBy, SQLiteTimestamp.text(policy.setAt),
                ])
        }
    }

    package func removeFreshnessPolicy(_ scope: FreshnessPolicy.Scope) async throws -> Bool {
        try await write { db in
            try db.executeCached(sql: "DELETE FROM freshness_policies WHERE scope_id = ?", arguments: [scope.id])
            return db.changesCount > 0
        }
    }

    static func freshness(_ row: Row) throws -> ItemFreshness {
        let typeText = try text(row, "content_type")
        guard let type = RunItem.ContentType(rawValue: typeText) else { throw StoreError(.corrupt, "The database holds an unknown content type: \(typeText)") }
        var record = ItemFreshness(
            connectionId: try text(row, "connection_id"), item: RunItem(contentType: type, tableauId: try text(row, "item_id"), name: try text(row, "item_name")),
            projectName: row["project_name"], updatedAt: try date(row, "updated_at"))
        record.lastSuccessAt = try optionalDate(row, "last_success_at")
        record.lastSuccessRunId = row["last_success_run_id"]
        record.lastFailureAt = try optionalDate(row, "last_failure_at")
        record.lastFailureRunId = row["last_failure_run_id"]
        record.lastFailureReason = row["last_failure_reason"]
        record.staleSince = try optionalDate(row, "stale_since")
        if let failure: String = row["pipeline_failure"] { record.pipelineFailure = try StoredJSON.value(PipelineFailure.self, failure) }
        return record
    }

    static func policy(_ row: Row) throws -> FreshnessPolicy {
        let connectionId = try text(row, "connection_id")
        let scope: FreshnessPolicy.Scope
        switch try text(row, "scope_kind") {
        case "connection": scope = .connection(connectionId: connectionId)
        case "project": scope = .project(connectionId: connectionId, name: try text(row, "project_name"))
        default:
            let typeText = try text(row, "content_type")
            guard let type = RunItem.ContentType(rawValue: typeText) else { throw StoreError(.corrupt, "The database holds an unknown content type: \(typeText)") }
            scope = .item(FreshnessKey(connectionId: connectionId, contentType: type, tableauId: try text(row, "item_id")))
        }
        return FreshnessPolicy(
            scope: scope, maxAgeSeconds: row["max_age_seconds"], itemName: row["item_name"], setBy: try text(row, "set_by"), setAt: try date(row, "set_at"))
    }
}

extension SQLiteStore: PipelineEventStore {
    package func recordPipelineEvent(_ event: PipelineEvent) async throws -> (event: PipelineEvent, repeated: Bool) {
        let json = try StoredJSON.text(event)
        return try await write { db in
            if let stored = try String.fetchOne(
                db, sql: "SELECT event FROM pipeline_events WHERE connection_id = ? AND event_id = ?", arguments: [event.connectionId, event.eventId])
            {
                return (try Self.pipelineEvent(stored), true)
            }
            for item in event.items {
                let key = FreshnessKey(connectionId: event.connectionId, contentType: item.item.contentType, tableauId: item.item.tableauId)
                if let record = ItemFreshness.applying(event, to: item, onto: try Self.freshness(db, key)) { try Self.write(db, record) }
            }
            try db.executeCached(
                sql: "INSERT INTO pipeline_events (connection_id, event_id, event, received_at) VALUES (?, ?, ?, ?)",
                arguments: [event.connectionId, event.eventId, json, SQLiteTimestamp.text(event.receivedAt)])
            return (event, false)
        }
    }

    package func pipelineEvents(connectionId: String?, limit: Int) async throws -> [PipelineEvent] {
        try await writer.read { db in
            let rows =
                if let connectionId {
                    try String.fetchAll(
                        db, sql: "SELECT event FROM pipeline_events WHERE connection_id = ? ORDER BY received_at DESC LIMIT ?", arguments: [connectionId, limit])
                } else {
                    try String.fetchAll(db, sql: "SELECT event FROM pipeline_events ORDER BY received_at DESC LIMIT ?", arguments: [limit])
                }
            return try rows.map(Self.pipelineEvent)
        }
    }

    static func pipelineEvent(_ json: String) throws -> PipelineEvent {
        try StoredJSON.value(PipelineEvent.self, json)
    }
}
