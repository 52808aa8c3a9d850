import GRDB

extension SQLiteSchema {
    /// Secret references, keep-alive and token lifetimes (migration "v9_secret_refs_and_token_lifetimes"):
    /// a connection may name where its secret lives (`secret_ref`, then `sealed_secret` is
    /// empty), keep its PAT alive every `keep_alive_days`, and warn `expiry_warning_days`
    /// before expiry; `credential_lifetimes` keeps Tableau's expiry estimate and the last sign-in.
    static func addSecretReferencesAndLifetimes(_ db: Database) throws {
        try db.execute(
            sql: """
                ALTER TABLE connections ADD COLUMN secret_ref TEXT;
                ALTER TABLE connections ADD COLUMN keep_alive_days INTEGER CHECK (keep_alive_days IS NULL OR keep_alive_days > 0);
                ALTER TABLE connections ADD COLUMN expiry_warning_days INTEGER CHECK (expiry_warning_days IS NULL OR expiry_warning_days > 0);
                CREATE TABLE credential_lifetimes (
                    connection_id TEXT NOT NULL PRIMARY KEY REFERENCES connections(id) ON DELETE CASCADE,
                    expires_at TEXT,
                    last_used_at TEXT NOT NULL
                );
                """)
    }
}
