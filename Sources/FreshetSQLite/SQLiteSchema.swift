import GRDB

/// Freshet's SQLite schema as forward-only migrations.
///
/// Rules: a shipped migration is never edited, renamed or removed; changes are new migrations
/// appended at the end. A database therefore opens in any newer Freshet, and a database that
/// names a migration this build does not know came from a newer Freshet and is refused.
enum SQLiteSchema {
    /// Identifiers of all migrations, in order; the last one is this build's schema version.
    static var migrationIdentifiers: [String] { migrator.migrations }

    /// Every migration this build knows.
    static let migrator: DatabaseMigrator = {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1_connections", migrate: createConnections)
        migrator.registerMigration("v1_sessions", migrate: createSessions)
        migrator.registerMigration("v1_leases", migrate: createLeases)
        migrator.registerMigration("v1_audit", migrate: createAuditLog)
        migrator.registerMigration("v2_runs", migrate: createRuns)
        migrator.registerMigration("v3_run_keys", migrate: createRunKeys)
        migrator.registerMigration("v4_api_tokens", migrate: createAPITokens)
        migrator.registerMigration("v5_access_events", migrate: createAccessEvents)
        migrator.registerMigration("v6_run_projects", migrate: addRunProjects)
        migrator.registerMigration("v7_requests_and_job_slots", migrate: addRequestsAndJobSlots)
        migrator.registerMigration("v8_site_holds", migrate: createSiteHolds)
        migrator.registerMigration("v9_secret_refs_and_token_lifetimes", migrate: addSecretReferencesAndLifetimes)
        migrator.registerMigration("v10_freshness", migrate: createFreshness)
        migrator.registerMigration("v11_alert_outbox", migrate: createAlertOutbox)
        migrator.registerMigration("v12_pipeline_events", migrate: createPipelineEvents)
        migrator.registerMigration("v13_quality_warnings", migrate: createQualityWarnings)
        return migrator
    }()

    /// Tableau sites; the secret (PAT secret or connected-app secret value) only sealed.
    private static func createConnections(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE connections (
                    id TEXT NOT NULL PRIMARY KEY,
                    name TEXT NOT NULL UNIQUE,
                    server_host TEXT NOT NULL,
                    uses_http INTEGER NOT NULL DEFAULT 0 CHECK (uses_http IN (0, 1)),
                    site_content_url TEXT NOT NULL DEFAULT '',
                    auth_kind TEXT NOT NULL CHECK (auth_kind IN ('personal_access_token', 'connected_app')),
                    pat_name TEXT,
                    client_id TEXT,
                    secret_id TEXT,
                    username TEXT,
                    scopes TEXT CHECK (scopes IS NULL OR json_valid(scopes)),
                    api_version_pin TEXT,
                    sealed_secret TEXT NOT NULL,
                    created_at TEXT NOT NULL,
                    updated_at TEXT NOT NULL,
                    CHECK (auth_kind <> 'personal_access_token' OR pat_name IS NOT NULL),
                    CHECK (auth_kind <> 'connected_app'
                        OR (client_id IS NOT NULL AND secret_id IS NOT NULL AND username IS NOT NULL AND scopes IS NOT NULL))
                )
                """)
    }

    /// The shared Tableau session of each connection; the token only sealed.
    private static func createSessions(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE sessions (
                    connection_id TEXT NOT NULL PRIMARY KEY REFERENCES connections(id) ON DELETE CASCADE,
                    sealed_token TEXT NOT NULL,
                    site_id TEXT NOT NULL,
                    site_content_url TEXT NOT NULL,
                    user_id TEXT NOT NULL,
                    api_version TEXT NOT NULL,
                    signed_in_at TEXT NOT NULL,
                    expires_at TEXT NOT NULL
                )
                """)
    }

    /// Named leases that let one process at a time do something (sign in with a PAT…).
    private static func createLeases(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE leases (
                    name TEXT NOT NULL PRIMARY KEY,
                    holder TEXT NOT NULL,
                    expires_at TEXT NOT NULL
                )
                """)
    }

    /// The audit log, append-only: triggers refuse every UPDATE and DELETE.
    private static func createAuditLog(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE audit_log (
                    sequence INTEGER PRIMARY KEY AUTOINCREMENT,
                    time TEXT NOT NULL,
                    actor TEXT NOT NULL,
                    action TEXT NOT NULL,
                    target TEXT NOT NULL,
                    outcome TEXT NOT NULL,
                    details TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(details))
                );
                CREATE INDEX audit_log_time ON audit_log(time);
                CREATE INDEX audit_log_action ON audit_log(action);
                CREATE INDEX audit_log_target ON audit_log(target);
                CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
                BEGIN
                    SELECT RAISE(ABORT, 'audit_log is append-only: rows cannot be updated');
                END;
                CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
                BEGIN
                    SELECT RAISE(ABORT, 'audit_log is append-only: rows cannot be deleted');
                END;
                """)
    }
}
