import GRDB

extension SQLiteSchema {
    /// API tokens (migration "v4_api_tokens"): only the SHA-256 hash of each token is stored,
    /// never its text.
    static func createAPITokens(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE api_tokens (
                    id TEXT NOT NULL PRIMARY KEY,
                    name TEXT NOT NULL UNIQUE,
                    hash TEXT NOT NULL UNIQUE CHECK (length(hash) = 64),
                    hint TEXT NOT NULL,
                    scopes TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(scopes)),
                    is_admin INTEGER NOT NULL DEFAULT 0 CHECK (is_admin IN (0, 1)),
                    allow_list TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(allow_list)),
                    created_at TEXT NOT NULL,
                    created_by TEXT NOT NULL,
                    expires_at TEXT,
                    revoked_at TEXT
                )
                """)
    }
}
