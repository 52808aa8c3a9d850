import Foundation
package import Freshet
import GRDB

extension SQLiteStore: AuditStore {
    /// Appends `event`; the database assigns its sequence (`event.sequence` is ignored).
    package func append(_ event: AuditEvent) async throws {
        let details = try Self.json(event.details)
        try await write { db in
            try db.executeCached(
                sql: "INSERT INTO audit_log (time, actor, action, target, outcome, details) VALUES (?, ?, ?, ?, ?, ?)",
                arguments: [SQLiteTimestamp.text(event.time), event.actor, event.action, event.target, event.outcome, details])
        }
    }

    /// Appends `events` in one transaction.
    package func append(contentsOf events: [AuditEvent]) async throws {
        let rows = try events.map { event in
            [SQLiteTimestamp.text(event.time), event.actor, event.action, event.target, event.outcome, try Self.json(event.details)]
        }
        try await write { db in
            let statement = try db.cachedStatement(
                sql: "INSERT INTO audit_log (time, actor, action, target, outcome, details) VALUES (?, ?, ?, ?, ?, ?)")
            for row in rows { try statement.execute(arguments: StatementArguments(row)) }
        }
    }

    /// Events matching every given filter, newest first: exact actor, target and outcome; an
    /// exact action, or a prefix when it ends in "."; `since` and `until` inclusive; sequences
    /// below `before`.
    package func events(_ query: AuditQuery) async throws -> [AuditEvent] {
        var conditions: [String] = []
        var arguments: [(any DatabaseValueConvertible)?] = []
        func add(_ condition: String, _ values: (any DatabaseValueConvertible)...) {
            conditions.append(condition)
            arguments.append(contentsOf: values)
        }
        if let actor = query.actor { add("actor = ?", actor) }
        if let action = query.action {
            if action.hasSuffix(".") {
                add("substr(action, 1, length(?)) = ?", action, action)
            } else {
                add("action = ?", action)
            }
        }
        if let target = query.target { add("target = ?", target) }
        if let outcome = query.outcome { add("outcome = ?", outcome) }
        if let since = query.since { add("time >= ?", SQLiteTimestamp.text(since)) }
        if let until = query.until { add("time <= ?", SQLiteTimestamp.text(until)) }
        if let before = query.before { add("sequence < ?", before) }
        let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        let sql = "SELECT * FROM audit_log \(filter) ORDER BY sequence DESC LIMIT ?"
        let statementArguments = StatementArguments(arguments + [query.limit])
        return try await writer.read { db in
            try Row.fetchAll(db, sql: sql, arguments: statementArguments).map { row in
                AuditEvent(
                    sequence: row["sequence"], time: try Self.date(row, "time"), actor: try Self.text(row, "actor"),
                    action: try Self.text(row, "action"), target: try Self.text(row, "target"),
                    outcome: try Self.text(row, "outcome"), details: try Self.details(try Self.text(row, "details")))
            }
        }
    }

    static func json(_ details: [String: String]) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(details), as: UTF8.self)
    }

    static func details(_ text: String) throws -> [String: String] {
        guard let details = try? JSONDecoder().decode([String: String].self, from: Data(text.utf8)) else {
            throw StoreError(.corrupt, "The database holds invalid audit details: \(text)")
        }
        return details
    }
}
