package import Foundation
package import Freshet
import PostgresNIO

extension PostgresStore: AccessEventStore {
    /// Records `record` as pending under `holder`'s claim, or takes over a pending event whose
    /// claim expired or a failed one; one INSERT … ON CONFLICT, so exactly one delivery (in any
    /// process) holds an event id. Otherwise returns the stored record.
    package func claimAccessEvent(_ record: AccessEventRecord, holder: String, claimUntil: Date, now: Date) async throws -> AccessEventClaim {
        try await database.transaction { connection in
            let claimed = try await rows(
                """
                INSERT INTO access_events (connection_id, event_id, connection_name, type, user_name, role, actor, status, message,
                    received_at, claim_holder, claim_until)
                VALUES (\(record.connectionId), \(record.eventId), \(record.connectionName), \(record.type.rawValue), \(record.user),
                    \(record.role), \(record.actor), 'pending', '', \(record.receivedAt.pg), \(holder), \(claimUntil.pg))
                ON CONFLICT (connection_id, event_id) DO UPDATE SET status = 'pending', actor = excluded.actor, message = '',
                    user_id = NULL, previous_role = NULL, new_role = NULL, completed_at = NULL,
                    claim_holder = excluded.claim_holder, claim_until = excluded.claim_until
                WHERE access_events.status = 'failed' OR (access_events.status = 'pending' AND access_events.claim_until <= \(now.pg))
                RETURNING *
                """, on: connection)
            if let row = claimed.first { return .claimed(try Self.accessEventRecord(row)) }
            guard
                let row = try await rows(
                    "SELECT * FROM access_events WHERE connection_id = \(record.connectionId) AND event_id = \(record.eventId)", on: connection
                ).first
            else { throw StoreError("The access event \(record.eventId) vanished while it was claimed") }
            return .existing(try Self.accessEventRecord(row))
        }
    }

    /// Stores the outcome of an event `holder` has claimed; false when the claim was lost.
    package func completeAccessEvent(_ record: AccessEventRecord, holder: String) async throws -> Bool {
        try await !rows(
            """
            UPDATE access_events SET status = \(record.status.rawValue), message = \(record.message), actor = \(record.actor),
                user_id = \(record.userId), previous_role = \(record.previousRole), new_role = \(record.newRole),
                completed_at = \(record.completedAt?.pg), claim_holder = NULL, claim_until = NULL
            WHERE connection_id = \(record.connectionId) AND event_id = \(record.eventId) AND claim_holder = \(holder)
            RETURNING event_id
            """
        ).isEmpty
    }

    /// The record of `eventId` on `connectionId`, or nil.
    package func accessEvent(connectionId: String, eventId: String) async throws -> AccessEventRecord? {
        try await rows("SELECT * FROM access_events WHERE connection_id = \(connectionId) AND event_id = \(eventId)").first
            .map(Self.accessEventRecord)
    }

    /// Records matching `query`, newest first.
    package func accessEvents(_ query: AccessEventQuery) async throws -> [AccessEventRecord] {
        var sql = PostgresQuery.StringInterpolation(literalCapacity: 200, interpolationCount: 4)
        sql.appendLiteral("SELECT * FROM access_events WHERE TRUE")
        if let connectionId = query.connectionId { sql.appendLiteral(" AND connection_id = "); sql.appendInterpolation(connectionId) }
        if let user = query.user { sql.appendLiteral(" AND user_name = "); sql.appendInterpolation(user) }
        if let status = query.status { sql.appendLiteral(" AND status = "); sql.appendInterpolation(status.rawValue) }
        sql.appendLiteral(" ORDER BY received_at DESC, sequence DESC LIMIT ")
        sql.appendInterpolation(query.limit)
        return try await rows(PostgresQuery(stringInterpolation: sql)).map(Self.accessEventRecord)
    }

    static func accessEventRecord(_ row: PostgresRandomAccessRow) throws -> AccessEventRecord {
        let type = try row.text("type")
        let status = try row.text("status")
        guard let kind = AccessEventKind(rawValue: type), let state = AccessEventStatus(rawValue: status) else {
            throw StoreError(.corrupt, "The database holds an access event of unknown type \(type) or status \(status)")
        }
        return AccessEventRecord(
            connectionId: try row.text("connection_id"), connectionName: try row.text("connection_name"), eventId: try row.text("event_id"),
            type: kind, user: try row.text("user_name"), role: try row.text("role"), actor: try row.text("actor"), status: state,
            message: try row.text("message"), userId: try row.optionalText("user_id"), previousRole: try row.optionalText("previous_role"),
            newRole: try row.optionalText("new_role"), receivedAt: try row.date("received_at"), completedAt: try row.optionalDate("completed_at"))
    }
}
