import GRDB

extension SQLiteSchema {
    /// Data quality warnings (migration "v13_quality_warnings"): the connections that opted in, and
    /// every warning Freshet set (its Tableau id NULL while the add call's answer is not stored).
    static func createQualityWarnings(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE quality_warning_connections (
                    connection_id TEXT NOT NULL PRIMARY KEY,
                    set_by TEXT NOT NULL,
                    set_at TEXT NOT NULL
                );
                CREATE TABLE quality_warnings (
                    connection_id TEXT NOT NULL,
                    datasource_id TEXT NOT NULL,
                    datasource_name TEXT NOT NULL,
                    warning_id TEXT,
                    message TEXT NOT NULL,
                    cause TEXT NOT NULL,
                    created_at TEXT NOT NULL,
                    PRIMARY KEY (connection_id, datasource_id)
                );
                """)
    }
}
