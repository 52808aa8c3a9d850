package import Foundation
package import Freshet
import PostgresNIO

extension PostgresStore: AlertStore {
    @discardableResult
    package func enqueueAlert(_ event: AlertEvent, now: Date) async throws -> Int {
        try await database.transaction { connection in try await enqueueAlert(event, now: now, on: connection) }
    }

    /// One pending delivery of `event` per matching route, inside the caller's transaction.
    @discardableResult
    func enqueueAlert(_ event: AlertEvent, now: Date, on connection: PostgresConnection) async throws -> Int {
        let routes = try await rows("SELECT * FROM alert_routes", on: connection).map(Self.route).filter { $0.matches(event) }
        guard !routes.isEmpty else { return 0 }
        let json = try StoredJSON.text(event)
        var created = 0
        for route in routes {
            created += try await rows(
                """
                INSERT INTO alert_deliveries (id, event_id, event, route_id, route_name, status, next_attempt_at, created_at)
                VALUES (\(UUID().uuidString), \(event.id), \(json), \(route.id), \(route.name), 'pending', \(now.pg), \(now.pg))
                ON CONFLICT (event_id, route_id) DO NOTHING RETURNING id
                """, on: connection
            ).count
        }
        return created
    }

    package func alertRoutes() async throws -> [AlertRoute] {
        try await rows("SELECT * FROM alert_routes ORDER BY name").map(Self.route)
    }

    package func insertAlertRoute(_ route: AlertRoute) async throws {
        let kinds = try StoredJSON.text(route.kinds)
        do {
            _ = try await rows(
                """
                INSERT INTO alert_routes (id, name, format, sealed_url, url_hint, sealed_secret, connection_id, project_name, kinds, created_at, created_by)
                VALUES (\(route.id), \(route.name), \(route.format.rawValue), \(route.sealedURL), \(route.urlHint), \(route.sealedSecret),
                    \(route.connectionId), \(route.project), \(kinds), \(route.createdAt.pg), \(route.createdBy))
                """)
        } catch let error as StoreError where error.description.contains("alert_routes_name_unique") || error.code == .conflict {
            throw StoreError(.conflict, "An alert route named \"\(route.name)\" already exists")
        }
    }

    package func deleteAlertRoute(named name: String) async throws -> Bool {
        try await database.transaction { connection in
            guard let id = try await rows("DELETE FROM alert_routes WHERE name = \(name) RETURNING id", on: connection).first?.text("id") else { return false }
            _ = try await rows(
                """
                UPDATE alert_deliveries SET status = 'dead', last_error = 'The route was removed', lease_holder = NULL, lease_until = NULL
                WHERE route_id = \(id) AND status = 'pending'
                """, on: connection)
            return true
        }
    }

    /// Claims with `FOR UPDATE SKIP LOCKED`: several processes never get the same delivery.
    package func claimAlertDeliveries(holder: String, until: Date, now: Date, limit: Int) async throws -> [AlertDelivery] {
        try await rows(
            """
            UPDATE alert_deliveries SET lease_holder = \(holder), lease_until = \(until.pg)
            WHERE id IN (
                SELECT id FROM alert_deliveries
                WHERE status = 'pending' AND next_attempt_at <= \(now.pg) AND (lease_until IS NULL OR lease_until <= \(now.pg))
                ORDER BY next_attempt_at, created_at, id LIMIT \(max(0, limit)) FOR UPDATE SKIP LOCKED)
            RETURNING *
            """
        ).map(Self.delivery).sorted { ($0.nextAttemptAt, $0.createdAt, $0.id) < ($1.nextAttemptAt, $1.createdAt, $1.id) }
    }

    package func completeAlertDelivery(id: String, outcome: AlertAttemptOutcome, now: Date) async throws {
        let (status, next, error, delivered): (String, Date?, String?, Date?)
        switch outcome {
        case .delivered: (status, next, error, delivered) = ("delivered", nil, nil, now)
        case .retry(let at, let message): (status, next, error, delivered) = ("pending", at, message, nil)
        case .dead(let message): (status, next, error, delivered) = ("dead", nil, message, nil)
        }
        _ = try await rows(
            """
            UPDATE alert_deliveries SET status = \(status), attempts = attempts + 1, next_attempt_at = COALESCE(\(next?.pg), next_attempt_at),
                last_error = \(error), delivered_at = \(delivered?.pg), lease_holder = NULL, lease_until = NULL
            WHERE id = \(id) AND status = 'pending'
            """)
    }

    package func alertDeliveries(_ query: AlertDeliveryQuery) async throws -> [AlertDelivery] {
        try await rows(
            """
            SELECT * FROM alert_deliveries WHERE (\(query.status?.rawValue)::text IS NULL OR status = \(query.status?.rawValue))
                AND (\(query.eventId)::text IS NULL OR event_id = \(query.eventId))
            ORDER BY created_at DESC, id DESC LIMIT \(query.limit)
            """
        ).map(Self.delivery)
    }

    package func requeueAlertDelivery(id: String, now: Date) async throws -> Bool {
        try await !rows(
            """
            UPDATE alert_deliveries SET status = 'pending', attempts = 0, next_attempt_at = \(now.pg)
            WHERE id = \(id) AND status = 'dead' AND route_id IN (SELECT id FROM alert_routes)
            RETURNING id
            """
        ).isEmpty
    }

    /// Re-seals every route's URL and secret inside the caller's transaction (key rotation).
    func resealAlertRoutes(_ transform: @Sendable (String) throws -> String, on connection: PostgresConnection) async throws -> Int {
        let routes = try await rows("SELECT id, sealed_url, sealed_secret FROM alert_routes FOR UPDATE", on: connection)
        for row in routes {
            let url = try transform(try row.text("sealed_url"))
            let secret = try row.optionalText("sealed_secret").map(transform)
            _ = try await self.rows("UPDATE alert_routes SET sealed_url = \(url), sealed_secret = \(secret) WHERE id = \(try row.text("id"))", on: connection)
        }
        return routes.count
    }

    static func route(_ row: PostgresRandomAccessRow) throws -> AlertRoute {
        let formatText = try row.text("format")
        guard let format = AlertRoute.Format(rawValue: formatText) else { throw StoreError(.corrupt, "The database holds an unknown alert format: \(formatText)") }
        return AlertRoute(
            id: try row.text("id"), name: try row.text("name"), format: format, sealedURL: try row.text("sealed_url"), urlHint: try row.text("url_hint"),
            sealedSecret: try row.optionalText("sealed_secret"), connectionId: try row.optionalText("connection_id"),
            project: try row.optionalText("project_name"), kinds: try StoredJSON.value([String].self, try row.text("kinds")),
            createdAt: try row.date("created_at"), createdBy: try row.text("created_by"))
    }

    static func delivery(_ row: PostgresRandomAccessRow) throws -> AlertDelivery {
        let statusText = try row.text("status")
        guard let status = AlertDelivery.Status(rawValue: statusText) else {
            throw StoreError(.corrupt, "The database holds an unknown delivery status: \(statusText)")
        }
        return AlertDelivery(
            id: try row.text("id"), event: try StoredJSON.value(AlertEvent.self, try row.text("event")), routeId: try row.text("route_id"),
            routeName: try row.text("route_name"), status: status, attempts: Int(try row.value("attempts", as: Int32.self)),
            nextAttemptAt: try row.date("next_attempt_at"), lastError: try row.optionalText("last_error"), createdAt: try row.date("created_at"),
            deliveredAt: try row.optionalDate("delivered_at"))
    }
}

extension PostgresStore: QualityWarningStore {
    package func warningConnections() async throws -> Set<String> {
        Set(try await rows("SELECT connection_id FROM quality_warning_connections").map { try $0.text("connection_id") })
    }

    package func setWarnings(connectionId: String, enabled: Bool, actor: String, now: Date) async throws {
        if enabled {
            _ = try await rows(
                """
                INSERT INTO quality_warning_connections (connection_id, set_by, set_at) VALUES (\(connectionId), \(actor), \(now.pg))
                ON CONFLICT (connection_id) DO UPDATE SET set_by = EXCLUDED.set_by, set_at = EXCLUDED.set_at
                """)
        } else {
            _ = try await rows("DELETE FROM quality_warning_connections WHERE connection_id = \(connectionId)")
        }
    }

    package func freshetWarnings(connectionId: String?) async throws -> [FreshetWarning] {
        try await rows(
            """
            SELECT * FROM quality_warnings WHERE (\(connectionId)::text IS NULL OR connection_id = \(connectionId)) ORDER BY connection_id, datasource_id
            """
        ).map { row in
            FreshetWarning(
                connectionId: try row.text("connection_id"), datasourceId: try row.text("datasource_id"), datasourceName: try row.text("datasource_name"),
                warningId: try row.optionalText("warning_id"), message: try row.text("message"), cause: try row.text("cause"),
                createdAt: try row.date("created_at"))
        }
    }

    package func saveFreshetWarning(_ warning: FreshetWarning) async throws {
        _ = try await rows(
            """
            INSERT INTO quality_warnings (connection_id, datasource_id, datasource_name, warning_id, message, cause, created_at)
            VALUES (\(warning.connectionId), \(warning.datasourceId), \(warning.datasourceName), \(warning.warningId), \(warning.message), \(warning.cause),
                \(warning.createdAt.pg))
            ON CONFLICT (connection_id, datasource_id) DO UPDATE SET datasource_name = EXCLUDED.datasource_name, warning_id = EXCLUDED.warning_id,
                message = EXCLUDED.message, cause = EXCLUDED.cause, created_at = EXCLUDED.created_at
            """)
    }

    package func deleteFreshetWarning(connectionId: String, datasourceId: String) async throws {
        _ = try await rows("DELETE FROM quality_warnings WHERE connection_id = \(connectionId) AND datasource_id = \(datasourceId)")
    }
}
