package import Foundation
package import Freshet
import GRDB

extension SQLiteStore: AccessEventStore {
    /// Records `record` as pending under `holder`'s claim, or takes over a pending event whose
    /// claim expired or a failed one; one INSERT … ON CONFLICT in one transaction, so exactly one
    /// delivery (in any process) holds an event id. Otherwise returns the stored record.
    package func claimAccessEvent(_ record: AccessEventRecord, holder: String, claimUntil: Date, now: Date) async throws -> AccessEventClaim {
        try await write { db in
            try db.execute(
                sql: """
                    INSERT INTO access_events (connection_id, event_id, connection_name, type, user, role, actor, status, message,
                        received_at, claim_holder, claim_until)
                    VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', '', ?, ?, ?)
                    ON CONFLICT (connection_id, event_id) DO UPDATE SET status = 'pending', actor = excluded.actor, message = '',
                        user_id = NULL, previous_role = NULL, new_role = NULL, completed_at = NULL,
                        claim_holder = excluded.claim_holder, claim_until = excluded.claim_until
                    WHERE access_events.status = 'failed' OR (access_events.status = 'pending' AND access_events.claim_until <= ?)
                    """,
                arguments: [
                    record.connectionId, record.eventId, record.connectionName, record.type.rawValue, record.user, record.role, record.actor,
                    SQLiteTimestamp.text(record.receivedAt), holder, SQLiteTimestamp.text(claimUntil), SQLiteTimestamp.text(now),
                ])
            let claimed = db.changesCount > 0
            guard let stored = try Self.accessEvent(db, connectionId: record.connectionId, eventId: record.eventId) else {
                throw StoreError(.unavailable, "The access event \(record.eventId) vanished while it was claimed")
            }
            return claimed ? .claimed(stored) : .existing(stored)
        }
    }

    /// Stores the outcome of an event `holder` has claimed; false when the claim was lost.
    package func completeAccessEvent(_ record: AccessEventRecord, holder: String) async throws -> Bool {
        try await write { db in
            try db.execute(
                sql: """
                    UPDATE access_events SET status = ?, message = ?, actor = ?, user_id = ?, previous_role = ?, new_role = ?,
                        completed_at = ?, claim_holder = NULL, claim_until = NULL
                    WHERE connection_id = ? AND event_id = ? AND claim_holder = ?
                    """,
                arguments: [
                    record.status.rawValue, record.message, record.actor, record.userId, record.previousRole, record.newRole,
                    record.completedAt.map(SQLiteTimestamp.text), record.connectionId, record.eventId, holder,
                ])
            return db.changesCount > 0
        }
    }

    /// The record of `eventId` on `connectionId`, or nil.
    package func accessEvent(connectionId: String, eventId: String) async throws -> AccessEventRecord? {
        try await writer.read { db in try Self.accessEvent(db, connectionId: connectionId, eventId: eventId) }
    }

    /// Records matching `query`, newest first.
    package func accessEvents(_ query: AccessEventQuery) async throws -> [AccessEventRecord] {
        var conditions: [String] = []
        var arguments: [String] = []
        if let connectionId = query.connectionId {
            conditions.append("connection_id = ?")
            arguments.append(connectionId)
        }
        if let user = query.user {
            conditions.append("user = ?")
            arguments.append(user)
        }
        if let status = query.status {
            conditions.append("status = ?")
            arguments.append(status.rawValue)
        }
        let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        let (sql, values) = ("SELECT * FROM access_events \(filter) ORDER BY received_at DESC, rowid DESC LIMIT \(query.limit)", arguments)
        return try await writer.read { db in
            try Row.fetchAll(db, sql: sql, arguments: StatementArguments(values)).map(Self.accessEventRecord)
        }
    }

    static func accessEvent(_ db: Database, connectionId: String, eventId: String) throws -> AccessEventRecord? {
        try Row.fetchOne(db, sql: "SELECT * FROM access_events WHERE connection_id = ? AND event_id = ?", arguments: [connectionId, eventId])
            .map(accessEventRecord)
    }

    static func accessEventRecord(_ row: Row) throws -> AccessEventRecord {
        let type = try text(row, "type")
        let status = try text(row, "status")
        guard let kind = AccessEventKind(rawValue: type), let state = AccessEventStatus(rawValue: status) else {
            throw StoreError(.corrupt, "The database holds an access event of unknown type \(type) or status \(status)")
        }
        let completed: String? = row["completed_at"]
        return AccessEventRecord(
            connectionId: try text(row, "connection_id"), connectionName: try text(row, "connection_name"), eventId: try text(row, "event_id"),
            type: kind, user: try text(row, "user"), role: try text(row, "role"), actor: try text(row, "actor"), status: state,
            message: try text(row, "message"), userId: row["user_id"], previousRole: row["previous_role"], newRole: row["new_role"],
            receivedAt: try date(row, "received_at"), completedAt: completed.flatMap(SQLiteTimestamp.date)
        )
    }
}
