extension PostgresSchema {
    /// Freshness per item and its policies, pipeline events, the alert outbox and its routes, and
    /// Tableau data quality warnings (issue 17; the SQLite migrations v10–v13 in one).
    static let freshness = [
        """
        CREATE TABLE item_freshness (
            connection_id TEXT COLLATE "C" NOT NULL,
            content_type TEXT NOT NULL CHECK (content_type IN ('workbook', 'datasource')),
            item_id TEXT COLLATE "C" NOT NULL,
            item_name TEXT NOT NULL,
            project_name TEXT COLLATE "C",
            last_success_at TIMESTAMPTZ,
            last_success_run_id TEXT,
            last_failure_at TIMESTAMPTZ,
            last_failure_run_id TEXT,
            last_failure_reason TEXT,
            stale_since TIMESTAMPTZ,
            updated_at TIMESTAMPTZ NOT NULL,
            pipeline_failure TEXT,
            PRIMARY KEY (connection_id, content_type, item_id)
        )
        """,
        "CREATE INDEX item_freshness_project ON item_freshness(project_name)",
        """
        CREATE TABLE freshness_policies (
            scope_id TEXT COLLATE "C" NOT NULL PRIMARY KEY,
            scope_kind TEXT NOT NULL CHECK (scope_kind IN ('connection', 'project', 'item')),
            connection_id TEXT COLLATE "C" NOT NULL,
            project_name TEXT,
            content_type TEXT CHECK (content_type IS NULL OR content_type IN ('workbook', 'datasource')),
            item_id TEXT,
            item_name TEXT,
            max_age_seconds DOUBLE PRECISION NOT NULL CHECK (max_age_seconds > 0),
            set_by TEXT NOT NULL,
            set_at TIMESTAMPTZ NOT NULL
        )
        """,
        """
        CREATE TABLE pipeline_events (
            connection_id TEXT COLLATE "C" NOT NULL,
            event_id TEXT COLLATE "C" NOT NULL,
            event TEXT NOT NULL,
            received_at TIMESTAMPTZ NOT NULL,
            PRIMARY KEY (connection_id, event_id)
        )
        """,
        """
        CREATE TABLE alert_routes (
            id TEXT COLLATE "C" NOT NULL PRIMARY KEY,
            name TEXT COLLATE "C" NOT NULL CONSTRAINT alert_routes_name_unique UNIQUE,
            format TEXT NOT NULL CHECK (format IN ('webhook', 'slack')),
            sealed_url TEXT NOT NULL,
            url_hint TEXT NOT NULL,
            sealed_secret TEXT,
            connection_id TEXT COLLATE "C",
            project_name TEXT COLLATE "C",
            kinds TEXT NOT NULL DEFAULT '[]',
            created_at TIMESTAMPTZ NOT NULL,
            created_by TEXT NOT NULL
        )
        """,
        """
        CREATE TABLE alert_deliveries (
            id TEXT COLLATE "C" NOT NULL PRIMARY KEY,
            event_id TEXT COLLATE "C" NOT NULL,
            event TEXT NOT NULL,
            route_id TEXT COLLATE "C" NOT NULL,
            route_name TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'dead')),
            attempts INTEGER NOT NULL DEFAULT 0,
            next_attempt_at TIMESTAMPTZ NOT NULL,
            last_error TEXT,
            created_at TIMESTAMPTZ NOT NULL,
            delivered_at TIMESTAMPTZ,
            lease_holder TEXT,
            lease_until TIMESTAMPTZ,
            UNIQUE (event_id, route_id)
        )
        """,
        "CREATE INDEX alert_deliveries_due ON alert_deliveries(next_attempt_at) WHERE status = 'pending'",
        "CREATE INDEX alert_deliveries_created ON alert_deliveries(created_at)",
        """
        CREATE TABLE quality_warning_connections (
            connection_id TEXT COLLATE "C" NOT NULL PRIMARY KEY,
            set_by TEXT NOT NULL,
            set_at TIMESTAMPTZ NOT NULL
        )
        """,
        """
        CREATE TABLE quality_warnings (
            connection_id TEXT COLLATE "C" NOT NULL,
            datasource_id TEXT COLLATE "C" NOT NULL,
            datasource_name TEXT NOT NULL,
            warning_id TEXT,
            message TEXT NOT NULL,
            cause TEXT NOT NULL,
            created_at TIMESTAMPTZ NOT NULL,
            PRIMARY KEY (connection_id, datasource_id)
        )
        """,
    ]
}
