import GRDB

extension SQLiteSchema {
    /// Alert routes and the durable alert outbox (migration "v11_alert_outbox"). A route's URL and
    /// signing secret are sealed. `alert_deliveries` holds one row per event and route (unique, so
    /// enqueuing an event twice sends it once), the event as JSON, its retry schedule and the
    /// lease of the process sending it.
    static func createAlertOutbox(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE alert_routes (
                    id TEXT NOT NULL PRIMARY KEY,
                    name TEXT NOT NULL UNIQUE,
                    format TEXT NOT NULL CHECK (format IN ('webhook', 'slack')),
                    sealed_url TEXT NOT NULL,
                    url_hint TEXT NOT NULL,
                    sealed_secret TEXT,
                    connection_id TEXT,
                    project_name TEXT,
                    kinds TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(kinds)),
                    created_at TEXT NOT NULL,
                    created_by TEXT NOT NULL
                );
                CREATE TABLE alert_deliveries (
                    id TEXT NOT NULL PRIMARY KEY,
                    event_id TEXT NOT NULL,
                    event TEXT NOT NULL CHECK (json_valid(event)),
                    route_id TEXT NOT NULL,
                    route_name TEXT NOT NULL,
                    status TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'dead')),
                    attempts INTEGER NOT NULL DEFAULT 0,
                    next_attempt_at TEXT NOT NULL,
                    last_error TEXT,
                    created_at TEXT NOT NULL,
                    delivered_at TEXT,
                    lease_holder TEXT,
                    lease_until TEXT,
                    UNIQUE (event_id, route_id)
                );
                CREATE INDEX alert_deliveries_due ON alert_deliveries(next_attempt_at) WHERE status = 'pending';
                CREATE INDEX alert_deliveries_created ON alert_deliveries(created_at);
                """)
    }
}
