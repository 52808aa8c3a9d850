import GRDB

extension SQLiteSchema {
    /// Access events (migration "v5_access_events"): one row per connection and event id, so a
    /// redelivered event finds its first outcome; the claim columns let one delivery (in any
    /// process) work on an event at a time. No foreign key to `connections`: like the audit log,
    /// the record outlives its connection.
    static func createAccessEvents(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE access_events (
                    connection_id TEXT NOT NULL,
                    event_id TEXT NOT NULL,
                    connection_name TEXT NOT NULL,
                    type TEXT NOT NULL CHECK (type IN ('granted', 'revoked')),
                    user TEXT NOT NULL,
                    role TEXT NOT NULL,
                    actor TEXT NOT NULL,
                    status TEXT NOT NULL CHECK (status IN ('pending', 'applied', 'unchanged', 'refused', 'failed')),
                    message TEXT NOT NULL DEFAULT '',
                    user_id TEXT,
                    previous_role TEXT,
                    new_role TEXT,
                    received_at TEXT NOT NULL,
                    completed_at TEXT,
                    claim_holder TEXT,
                    claim_until TEXT,
                    PRIMARY KEY (connection_id, event_id),
                    CHECK ((claim_holder IS NULL) = (claim_until IS NULL))
                );
                CREATE INDEX access_events_received ON access_events(received_at);
                CREATE INDEX access_events_user ON access_events(user);
                """)
    }
}
