import Foundation
package import Freshet
import PostgresNIO

extension PostgresStore: AuditStore {
    /// Appends `event`; the database assigns its sequence (`event.sequence` is ignored).
    package func append(_ event: AuditEvent) async throws {
        try await append(contentsOf: [event])
    }

    /// Appends `events` in one transaction, in order.
    package func append(contentsOf events: [AuditEvent]) async throws {
        guard !events.isEmpty else { return }
        let details = try events.map { try Self.json($0.details) }
        try await database.transaction { connection in
            for (event, details) in zip(events, details) {
                try await connection.query(
                    """
                    INSERT INTO audit_log (time, actor, action, target, outcome, details)
                    VALUES (\(event.time.pg), \(event.actor), \(event.action), \(event.target), \(event.outcome), \(details))
                    """, logger: logger)
            }
        }
    }

    /// Events matching every given filter, newest first: exact actor, target and outcome; an
    /// exact action, or a prefix when it ends in "."; `since` and `until` inclusive; sequences
    /// below `before`.
    package func events(_ query: AuditQuery) async throws -> [AuditEvent] {
        var sql = PostgresQuery.StringInterpolation(literalCapacity: 200, interpolationCount: 8)
        sql.appendLiteral("SELECT * FROM audit_log WHERE TRUE")
        if let actor = query.actor { sql.appendLiteral(" AND actor = "); sql.appendInterpolation(actor) }
        if let action = query.action {
            if action.hasSuffix(".") {
                sql.appendLiteral(" AND starts_with(action, ")
                sql.appendInterpolation(action)
                sql.appendLiteral(")")
            } else {
                sql.appendLiteral(" AND action = ")
                sql.appendInterpolation(action)
            }
        }
        if let target = query.target { sql.appendLiteral(" AND target = "); sql.appendInterpolation(target) }
        if let outcome = query.outcome { sql.appendLiteral(" AND outcome = "); sql.appendInterpolation(outcome) }
        if let since = query.since { sql.appendLiteral(" AND time >= "); sql.appendInterpolation(since.pg) }
        if let until = query.until { sql.appendLiteral(" AND time <= "); sql.appendInterpolation(until.pg) }
        if let before = query.before { sql.appendLiteral(" AND sequence < "); sql.appendInterpolation(before) }
        sql.appendLiteral(" ORDER BY sequence DESC LIMIT ")
        sql.appendInterpolation(query.limit)
        return try await rows(PostgresQuery(stringInterpolation: sql)).map { row in
            AuditEvent(
                sequence: try row.value("sequence", as: Int64.self), time: try row.date("time"), actor: try row.text("actor"),
                action: try row.text("action"), target: try row.text("target"), outcome: try row.text("outcome"),
                details: try Self.details(try row.text("details")))
        }
    }

    static func json(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    static func details(_ text: String) throws -> [String: String] {
        guard let details = try? JSONDecoder().decode([String: String].self, from: Data(text.utf8)) else {
            throw StoreError(.corrupt, "The database holds invalid audit details: \(text)")
        }
        return details
    }
}
