import GRDB

extension SQLiteSchema {
    /// Refresh runs (migration "v2_runs"): one row per run, its attempts as a JSON array, at most
    /// one run per connection and idempotency key, and the lease of the process driving it.
    /// No foreign key to `connections`: a run's history outlives its connection, like the audit log.
    static func createRuns(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE runs (
                    id TEXT NOT NULL PRIMARY KEY,
                    connection_id TEXT NOT NULL,
                    target TEXT NOT NULL,
                    content_type TEXT NOT NULL CHECK (content_type IN ('workbook', 'datasource')),
                    item_id TEXT NOT NULL,
                    item_name TEXT NOT NULL,
                    actor TEXT NOT NULL,
                    idempotency_key TEXT,
                    state TEXT NOT NULL
                        CHECK (state IN ('accepted', 'triggering', 'waiting', 'succeeded', 'failed', 'cancelled', 'timedOut')),
                    job_id TEXT,
                    attempts TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(attempts)),
                    notes TEXT,
                    cancel_requested INTEGER NOT NULL DEFAULT 0 CHECK (cancel_requested IN (0, 1)),
                    created_at TEXT NOT NULL,
                    updated_at TEXT NOT NULL,
                    deadline TEXT,
                    retry_max_attempts INTEGER NOT NULL DEFAULT 1 CHECK (retry_max_attempts >= 1),
                    retry_delay REAL NOT NULL DEFAULT 30,
                    version INTEGER NOT NULL DEFAULT 0,
                    lease_holder TEXT,
                    lease_until TEXT,
                    UNIQUE (connection_id, idempotency_key),
                    CHECK ((lease_holder IS NULL) = (lease_until IS NULL)),
                    CHECK (state <> 'waiting' OR job_id IS NOT NULL)
                );
                CREATE INDEX runs_created ON runs(created_at);
                CREATE INDEX runs_active ON runs(connection_id, content_type, item_id)
                    WHERE state IN ('accepted', 'triggering', 'waiting');
                """)
    }

    /// Idempotency keys of requests that joined another request's active run (migration
    /// "v3_run_keys"): repeating such a request returns the run it joined, even after that run ends.
    static func createRunKeys(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE run_keys (
                    connection_id TEXT NOT NULL,
                    idempotency_key TEXT NOT NULL,
                    run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
                    PRIMARY KEY (connection_id, idempotency_key)
                )
                """)
    }

    /// The project of each run's item when it was accepted (migration "v6_run_projects"), so a
    /// token's project allow-list applies to reading and cancelling runs; NULL for older runs.
    static func addRunProjects(_ db: Database) throws {
        try db.execute(sql: "ALTER TABLE runs ADD COLUMN project_name TEXT")
    }

    /// Requests stored whole and Tableau job slots (migration "v7_requests_and_job_slots"):
    /// `request_keys` binds a request's idempotency key to a fingerprint of its body, written in
    /// the same transaction as its runs; `runs.holds_job_slot` marks the runs that count against
    /// their connection's limit of Tableau jobs (from before the trigger call until the job ends),
    /// so the limit holds across processes and restarts.
    static func addRequestsAndJobSlots(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE request_keys (
                    connection_id TEXT NOT NULL,
                    idempotency_key TEXT NOT NULL,
                    fingerprint TEXT NOT NULL,
                    created_at TEXT NOT NULL,
                    PRIMARY KEY (connection_id, idempotency_key)
                );
                ALTER TABLE runs ADD COLUMN holds_job_slot INTEGER NOT NULL DEFAULT 0 CHECK (holds_job_slot IN (0, 1));
                CREATE INDEX runs_job_slots ON runs(connection_id) WHERE holds_job_slot = 1;
                CREATE INDEX runs_leases ON runs(lease_holder, lease_until) WHERE state IN ('accepted', 'triggering', 'waiting');
                """)
    }

    /// Holds Tableau put on a connection's site (migration "v8_site_holds"): a 429 naming a wait
    /// or the daily refresh capacity used up; every process leaves the site alone until `until`.
    static func createSiteHolds(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE site_holds (
                    connection_id TEXT NOT NULL PRIMARY KEY REFERENCES connections(id) ON DELETE CASCADE,
                    until TEXT NOT NULL,
                    reason TEXT NOT NULL
                )
                """)
    }
}
