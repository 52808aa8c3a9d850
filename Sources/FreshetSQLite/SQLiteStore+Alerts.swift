package import Foundation
package import Freshet
import GRDB

extension SQLiteStore: AlertStore {
    @discardableResult
    package func enqueueAlert(_ event: AlertEvent, now: Date) async throws -> Int {
        try await write { db in try Self.enqueueAlert(db, event, now: now) }
    }

    /// One pending delivery of `event` per matching route, inside the caller's transaction.
    @discardableResult
    static func enqueueAlert(_ db: Database, _ event: AlertEvent, now: Date) throws -> Int {
        let routes = try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM alert_routes")).map(route).filter { $0.matches(event) }
        guard !routes.isEmpty else { return 0 }
        let json = try StoredJSON.text(event)
        var created = 0
        for route in routes {
            try db.execute(
                sql: """
                    INSERT OR IGNORE INTO alert_deliveries (id, event_id, event, route_id, route_name, status, next_attempt_at, created_at)
                    VALUES (?, ?, ?, ?, ?, 'pending', ?, ?)
                    """,
                arguments: [UUID().uuidString, event.id, json, route.id, route.name, SQLiteTimestamp.text(now), SQLiteTimestamp.text(now)])
            created += db.changesCount
        }
        return created
    }

    package func alertRoutes() async throws -> [AlertRoute] {
        try await writer.read { db in try Row.fetchAll(db, sql: "SELECT * FROM alert_routes ORDER BY name").map(Self.route) }
    }

    package func insertAlertRoute(_ route: AlertRoute) async throws {
        let kinds = try StoredJSON.text(route.kinds)
        try await write { db in
            do {
                try db.execute(
                    sql: """
                        INSERT INTO alert_routes (id, name, format, sealed_url, url_hint, sealed_secret, connection_id, project_name, kinds, created_at, created_by)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        route.id, route.name, route.format.rawValue, route.sealedURL, route.urlHint, route.sealedSecret, route.connectionId, route.project, kinds,
                        SQLiteTimestamp.text(route.createdAt), route.createdBy,
                    ])
            } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
                throw StoreError(.conflict, "An alert route named \"\(route.name)\" already exists")
            }
        }
    }

    package func deleteAlertRoute(named name: String) async throws -> Bool {
        try await write { db in
            guard let id = try String.fetchOne(db, sql: "SELECT id FROM alert_routes WHERE name = ?", arguments: [name]) else { return false }
            try db.execute(
                sql: "UPDATE alert_deliveries SET status = 'dead', last_error = 'The route was removed', lease_holder = NULL, lease_until = NULL WHERE route_id = ? AND status = 'pending'",
                arguments: [id])
            try db.execute(sql: "DELETE FROM alert_routes WHERE id = ?", arguments: [id])
            return true
        }
    }

    package func claimAlertDeliveries(holder: String, until: Date, now: Date, limit: Int) async throws -> [AlertDelivery] {
        try await write { db in
            let nowText = SQLiteTimestamp.text(now)
            let ids = try String.fetchAll(
                db.cachedStatement(
                    sql: """
                        SELECT id FROM alert_deliveries
                        WHERE status = 'pending' AND next_attempt_at <= ?1 AND (lease_until IS NULL OR lease_until <= ?1)
                        ORDER BY next_attempt_at, created_at, id LIMIT ?2
                        """),
                arguments: [nowText, max(0, limit)])
            guard !ids.isEmpty else { return [] }
            let list = "(" + ids.map { _ in "?" }.joined(separator: ", ") + ")"
            try db.execute(
                sql: "UPDATE alert_deliveries SET lease_holder = ?, lease_until = ? WHERE id IN \(list)",
                arguments: StatementArguments([holder, SQLiteTimestamp.text(until)] + ids))
            return try Row.fetchAll(db, sql: "SELECT * FROM alert_deliveries WHERE id IN \(list) ORDER BY next_attempt_at, created_at, id", arguments: StatementArguments(ids))
                .map(Self.delivery)
        }
    }

    package func completeAlertDelivery(id: String, outcome: AlertAttemptOutcome, now: Date) async throws {
        let (status, next, error, delivered): (String, String?, String?, String?)
        switch outcome {
        case .delivered: (status, next, error, delivered) = ("delivered", nil, nil, SQLiteTimestamp.text(now))
        case .retry(let at, let message): (status, next, error, delivered) = ("pending", SQLiteTimestamp.text(at), message, nil)
        case .dead(let message): (status, next, error, delivered) = ("dead", nil, message, nil)
        }
        try await write { db in
            try db.execute(
                sql: """
                    UPDATE alert_deliveries SET status = ?, attempts = attempts + 1, next_attempt_at = COALESCE(?, next_attempt_at), last_error = ?,
                        delivered_at = ?, lease_holder = NULL, lease_until = NULL
                    WHERE id = ? AND status = 'pending'
                    """,
                arguments: [status, next, error, delivered, id])
        }
    }

    package func alertDeliveries(_ query: AlertDeliveryQuery) async throws -> [AlertDelivery] {
        var conditions: [String] = []
        var arguments: [String] = []
        if let status = query.status {
            conditions.append("status = ?")
            arguments.append(status.rawValue)
        }
        if let eventId = query.eventId {
            conditions.append("event_id = ?")
            arguments.append(eventId)
        }
        let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        let sql = "SELECT * FROM alert_deliveries \(filter) ORDER BY created_at DESC, id DESC LIMIT \(query.limit)"
        let values = arguments
        return try await writer.read { db in try Row.fetchAll(db, sql: sql, arguments: StatementArguments(values)).map(Self.delivery) }
    }

    package func requeueAlertDelivery(id: String, now: Date) async throws -> Bool {
        try await write { db in
            try db.execute(
                sql: """
                    UPDATE alert_deliveries SET status = 'pending', attempts = 0, next_attempt_at = ?
                    WHERE id = ? AND status = 'dead' AND route_id IN (SELECT id FROM alert_routes)
                    """,
                arguments: [SQLiteTimestamp.text(now), id])
            return db.changesCount > 0
        }
    }

    /// Re-seals every route's URL and secret inside the caller's transaction (key rotation).
    static func resealAlertRoutes(_ db: Database, _ transform: @Sendable (String) throws -> String) throws -> Int {
        let rows = try Row.fetchAll(db, sql: "SELECT id, sealed_url, sealed_secret FROM alert_routes")
        for row in rows {
            let secret: String? = row["sealed_secret"]
            try db.execute(
                sql: "UPDATE alert_routes SET sealed_url = ?, sealed_secret = ? WHERE id = ?",
                arguments: [try transform(try text(row, "sealed_url")), try secret.map(transform), try text(row, "id")])
        }
        return rows.count
    }

    static func route(_ row: Row) throws -> AlertRoute {
        let formatText = try text(row, "format")
        guard let format = AlertRoute.Format(rawValue: formatText) else { throw StoreError(.corrupt, "The database holds an unknown alert format: \(formatText)") }
        let kinds = try StoredJSON.value([String].self, try text(row, "kinds"))
        return AlertRoute(
            id: try text(row, "id"), name: try text(row, "name"), format: format, sealedURL: try text(row, "sealed_url"), urlHint: try text(row, "url_hint"),
            sealedSecret: row["sealed_secret"], connectionId: row["connection_id"], project: row["project_name"], kinds: kinds,
            createdAt: try date(row, "created_at"), createdBy: try text(row, "created_by"))
    }

    static func delivery(_ row: Row) throws -> AlertDelivery {
        let statusText = try text(row, "status")
        guard let status = AlertDelivery.Status(rawValue: statusText) else { throw StoreError(.corrupt, "The database holds an unknown delivery status: \(statusText)") }
        let event = try StoredJSON.value(AlertEvent.self, try text(row, "event"))
        return AlertDelivery(
            id: try text(row, "id"), event: event, routeId: try text(row, "route_id"), routeName: try text(row, "route_name"), status: status,
            attempts: row["attempts"], nextAttemptAt: try date(row, "next_attempt_at"), lastError: row["last_error"], createdAt: try date(row, "created_at"),
            deliveredAt: try optionalDate(row, "delivered_at"))
    }
}
