/// Freshet's PostgreSQL schema as forward-only migrations, recorded in `freshet_schema_version`.
///
/// Rules (as for SQLite): a shipped migration is never edited, renamed or removed; changes are new
/// migrations appended at the end. A database whose highest version this build does not know was
/// written by a newer Freshet and is refused. Text that is compared or ordered (ids, names, keys)
/// uses the "C" collation, so order is byte order on every server, as on SQLite.
enum PostgresSchema {
    /// One migration: its name and statements (PostgreSQL runs one statement per query).
    struct Migration: Sendable {
        var name: String
        var statements: [String]
    }

    /// Every migration this build knows; version N is `migrations[N - 1]`.
    static let migrations: [Migration] = [
        Migration(name: "v1_initial", statements: connections + sessionsAndLeases + auditLog + runs + tokens + accessEvents),
        Migration(name: "v2_site_holds", statements: siteHolds),
        Migration(name: "v3_secret_refs_and_token_lifetimes", statements: secretReferencesAndLifetimes),
        Migration(name: "v4_freshness", statements: freshness),
        Migration(name: "v5_submit_in_one_call", statements: submitFunctions),
    ]

    /// Holds Tableau put on a connection's site (a 429 naming a wait, the daily refresh capacity
    /// used up): every process leaves the site alone until `until` (decision waiting-at-the-limit.md).
    static let siteHolds = [
        """
        CREATE TABLE site_holds (
            connection_id TEXT COLLATE "C" NOT NULL PRIMARY KEY REFERENCES connections(id) ON DELETE CASCADE,
            until TIMESTAMPTZ NOT NULL,
            reason TEXT NOT NULL
        )
        """
    ]

    /// Tableau sites; the secret (PAT secret or connected-app secret value) only sealed.
    static let connections = [
        """
        CREATE TABLE connections (
            id TEXT COLLATE "C" NOT NULL PRIMARY KEY,
            name TEXT COLLATE "C" NOT NULL CONSTRAINT connections_name_unique UNIQUE,
            server_host TEXT NOT NULL,
            uses_http BOOLEAN NOT NULL DEFAULT FALSE,
            site_content_url TEXT NOT NULL DEFAULT '',
            auth_kind TEXT NOT NULL CHECK (auth_kind IN ('personal_access_token', 'connected_app')),
            pat_name TEXT,
            client_id TEXT,
            secret_id TEXT,
            username TEXT,
            scopes TEXT,
            api_version_pin TEXT,
            sealed_secret TEXT NOT NULL,
            created_at TIMESTAMPTZ NOT NULL,
            updated_at TIMESTAMPTZ NOT NULL,
            CHECK (auth_kind <> 'personal_access_token' OR pat_name IS NOT NULL),
            CHECK (auth_kind <> 'connected_app'
                OR (client_id IS NOT NULL AND secret_id IS NOT NULL AND username IS NOT NULL AND scopes IS NOT NULL))
        )
        """
    ]

    /// The shared Tableau session of each connection (token only sealed), and named leases that
    /// let one process at a time do something (sign in with a PAT…).
    static let sessionsAndLeases = [
        """
        CREATE TABLE sessions (
            connection_id TEXT COLLATE "C" NOT NULL PRIMARY KEY REFERENCES connections(id) ON DELETE CASCADE,
            sealed_token TEXT NOT NULL,
            site_id TEXT NOT NULL,
            site_content_url TEXT NOT NULL,
            user_id TEXT NOT NULL,
            api_version TEXT NOT NULL,
            signed_in_at TIMESTAMPTZ NOT NULL,
            expires_at TIMESTAMPTZ NOT NULL
        )
        """,
        """
        CREATE TABLE leases (
            name TEXT COLLATE "C" NOT NULL PRIMARY KEY,
            holder TEXT COLLATE "C" NOT NULL,
            expires_at TIMESTAMPTZ NOT NULL
        )
        """,
    ]

    /// The audit log, append-only: a trigger refuses every UPDATE, DELETE and TRUNCATE.
    static let auditLog = [
        """
        CREATE TABLE audit_log (
            sequence BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            time TIMESTAMPTZ NOT NULL,
            actor TEXT COLLATE "C" NOT NULL,
            action TEXT COLLATE "C" NOT NULL,
            target TEXT COLLATE "C" NOT NULL,
            outcome TEXT NOT NULL,
            details TEXT NOT NULL DEFAULT '{}'
        )
        """,
        "CREATE INDEX audit_log_time ON audit_log(time)",
        "CREATE INDEX audit_log_action ON audit_log(action)",
        "CREATE INDEX audit_log_target ON audit_log(target)",
        """
        CREATE FUNCTION audit_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION 'audit_log is append-only: rows cannot be %', CASE TG_OP
                WHEN 'UPDATE' THEN 'updated' WHEN 'DELETE' THEN 'deleted' ELSE 'truncated' END;
        END
        $$
        """,
        "CREATE TRIGGER audit_log_no_update_or_delete BEFORE UPDATE OR DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change()",
        "CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change()",
    ]

    /// Refresh runs (attempts as a JSON array, the lease of the process driving each, whether it
    /// holds one of its connection's Tableau job slots), the keys of requests that joined another
    /// request's run, and the fingerprint of each request stored under a key.
    static let runs = [
        """
        CREATE TABLE runs (
            id TEXT COLLATE "C" NOT NULL PRIMARY KEY,
            connection_id TEXT COLLATE "C" NOT NULL,
            target TEXT NOT NULL,
            content_type TEXT NOT NULL CHECK (content_type IN ('workbook', 'datasource')),
            item_id TEXT COLLATE "C" NOT NULL,
            item_name TEXT NOT NULL,
            project_name TEXT,
            actor TEXT NOT NULL,
            idempotency_key TEXT COLLATE "C",
            state TEXT NOT NULL
                CHECK (state IN ('accepted', 'triggering', 'waiting', 'succeeded', 'failed', 'cancelled', 'timedOut')),
            job_id TEXT,
            attempts TEXT NOT NULL DEFAULT '[]',
            notes TEXT,
            cancel_requested BOOLEAN NOT NULL DEFAULT FALSE,
            created_at TIMESTAMPTZ NOT NULL,
            updated_at TIMESTAMPTZ NOT NULL,
            deadline TIMESTAMPTZ,
            retry_max_attempts INTEGER NOT NULL DEFAULT 1 CHECK (retry_max_attempts >= 1),
            retry_delay DOUBLE PRECISION NOT NULL DEFAULT 30,
            version INTEGER NOT NULL DEFAULT 0,
            lease_holder TEXT COLLATE "C",
            lease_until TIMESTAMPTZ,
            holds_job_slot BOOLEAN NOT NULL DEFAULT FALSE,
            UNIQUE (connection_id, idempotency_key),
            CHECK ((lease_holder IS NULL) = (lease_until IS NULL)),
            CHECK (state <> 'waiting' OR job_id IS NOT NULL)
        )
        """,
        "CREATE INDEX runs_created ON runs(created_at, id)",
        """
        CREATE INDEX runs_active ON runs(connection_id, content_type, item_id)
            WHERE state IN ('accepted', 'triggering', 'waiting')
        """,
        "CREATE INDEX runs_job_slots ON runs(connection_id) WHERE holds_job_slot",
        """
        CREATE INDEX runs_leases ON runs(lease_until, created_at, id) WHERE state IN ('accepted', 'triggering', 'waiting')
        """,
        "CREATE INDEX runs_lease_holders ON runs(lease_holder) WHERE lease_holder IS NOT NULL",
        """
        CREATE TABLE run_keys (
            connection_id TEXT COLLATE "C" NOT NULL,
            idempotency_key TEXT COLLATE "C" NOT NULL,
            run_id TEXT COLLATE "C" NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
            PRIMARY KEY (connection_id, idempotency_key)
        )
        """,
        """
        CREATE TABLE request_keys (
            connection_id TEXT COLLATE "C" NOT NULL,
            idempotency_key TEXT COLLATE "C" NOT NULL,
            fingerprint TEXT NOT NULL,
            created_at TIMESTAMPTZ NOT NULL,
            PRIMARY KEY (connection_id, idempotency_key)
        )
        """,
    ]

    /// API tokens: only the SHA-256 hash of each token is stored, never its text.
    static let tokens = [
        """
        CREATE TABLE api_tokens (
            id TEXT COLLATE "C" NOT NULL PRIMARY KEY,
            name TEXT COLLATE "C" NOT NULL CONSTRAINT api_tokens_name_unique UNIQUE,
            hash TEXT NOT NULL UNIQUE CHECK (length(hash) = 64),
            hint TEXT NOT NULL,
            scopes TEXT NOT NULL DEFAULT '[]',
            is_admin BOOLEAN NOT NULL DEFAULT FALSE,
            allow_list TEXT NOT NULL DEFAULT '{}',
            created_at TIMESTAMPTZ NOT NULL,
            created_by TEXT NOT NULL,
            expires_at TIMESTAMPTZ,
            revoked_at TIMESTAMPTZ
        )
        """
    ]

    /// Access events: one row per connection and event id, with the claim of the delivery working
    /// on it. `user_name` is the event's user (`user` is reserved in PostgreSQL).
    static let accessEvents = [
        """
        CREATE TABLE access_events (
            sequence BIGINT GENERATED ALWAYS AS IDENTITY,
            connection_id TEXT COLLATE "C" NOT NULL,
            event_id TEXT COLLATE "C" NOT NULL,
            connection_name TEXT NOT NULL,
            type TEXT NOT NULL CHECK (type IN ('granted', 'revoked')),
            user_name TEXT COLLATE "C" NOT NULL,
            role TEXT NOT NULL,
            actor TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('pending', 'applied', 'unchanged', 'refused', 'failed')),
            message TEXT NOT NULL DEFAULT '',
            user_id TEXT,
            previous_role TEXT,
            new_role TEXT,
            received_at TIMESTAMPTZ NOT NULL,
            completed_at TIMESTAMPTZ,
            claim_holder TEXT COLLATE "C",
            claim_until TIMESTAMPTZ,
            PRIMARY KEY (connection_id, event_id),
            CHECK ((claim_holder IS NULL) = (claim_until IS NULL))
        )
        """,
        "CREATE INDEX access_events_received ON access_events(received_at, sequence)",
        "CREATE INDEX access_events_user ON access_events(user_name)",
    ]

    /// Secret references, keep-alive and token lifetimes (issue 20, migration v3): a connection may name where
    /// its secret lives (`secret_ref`, then `sealed_secret` is empty), keep its PAT alive every
    /// `keep_alive_days` and warn `expiry_warning_days` before expiry; `credential_lifetimes`
    /// keeps Tableau's expiry estimate and the last sign-in of each connection's credential.
    static let secretReferencesAndLifetimes = [
        "ALTER TABLE connections ADD COLUMN secret_ref TEXT",
        "ALTER TABLE connections ADD COLUMN keep_alive_days BIGINT CHECK (keep_alive_days IS NULL OR keep_alive_days > 0)",
        "ALTER TABLE connections ADD COLUMN expiry_warning_days BIGINT CHECK (expiry_warning_days IS NULL OR expiry_warning_days > 0)",
        """
        CREATE TABLE credential_lifetimes (
            connection_id TEXT COLLATE "C" NOT NULL PRIMARY KEY REFERENCES connections(id) ON DELETE CASCADE,
            expires_at TIMESTAMPTZ,
            last_used_at TIMESTAMPTZ NOT NULL
        )
        """,
    ]
}
