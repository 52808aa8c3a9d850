import GRDB

extension SQLiteSchema {
    /// Freshness per item and freshness policies (migration "v10_freshness"). `item_freshness` is
    /// written in the transaction that ends a run; `stale_since` only by the freshness monitor.
    /// Policies are keyed by their scope (`connection:<id>`, `project:<id>:<name>`,
    /// `item:<id>:<type>:<luid>`). No foreign key to `connections`, like runs.
    static func createFreshness(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE item_freshness (
                    connection_id TEXT NOT NULL,
                    content_type TEXT NOT NULL CHECK (content_type IN ('workbook', 'datasource')),
                    item_id TEXT NOT NULL,
                    item_name TEXT NOT NULL,
                    project_name TEXT,
                    last_success_at TEXT,
                    last_success_run_id TEXT,
                    last_failure_at TEXT,
                    last_failure_run_id TEXT,
                    last_failure_reason TEXT,
                    stale_since TEXT,
                    updated_at TEXT NOT NULL,
                    PRIMARY KEY (connection_id, content_type, item_id)
                );
                CREATE INDEX item_freshness_project ON item_freshness(project_name);
                CREATE TABLE freshness_policies (
                    scope_id TEXT NOT NULL PRIMARY KEY,
                    scope_kind TEXT NOT NULL CHECK (scope_kind IN ('connection', 'project', 'item')),
                    connection_id TEXT NOT NULL,
                    project_name TEXT,
                    content_type TEXT CHECK (content_type IS NULL OR content_type IN ('workbook', 'datasource')),
                    item_id TEXT,
                    item_name TEXT,
                    max_age_seconds REAL NOT NULL CHECK (max_age_seconds > 0),
                    set_by TEXT NOT NULL,
                    set_at TEXT NOT NULL,
                    CHECK (scope_kind <> 'project' OR project_name IS NOT NULL),
                    CHECK (scope_kind <> 'item' OR (content_type IS NOT NULL AND item_id IS NOT NULL))
                );
                """)
    }

    /// Pipeline events (migration "v12_pipeline_events"): one row per connection and event id
    /// (the event and the items it applied to as JSON), and each item's pipeline failure.
    static func createPipelineEvents(_ db: Database) throws {
        try db.execute(
            sql: """
                ALTER TABLE item_freshness ADD COLUMN pipeline_failure TEXT CHECK (pipeline_failure IS NULL OR json_valid(pipeline_failure));
                CREATE TABLE pipeline_events (
                    connection_id TEXT NOT NULL,
                    event_id TEXT NOT NULL,
                    event TEXT NOT NULL CHECK (json_valid(event)),
                    received_at TEXT NOT NULL,
                    PRIMARY KEY (connection_id, event_id)
                );
                CREATE INDEX pipeline_events_received ON pipeline_events(received_at);
                """)
    }
}
