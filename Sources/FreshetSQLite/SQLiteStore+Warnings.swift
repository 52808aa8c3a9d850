package import Foundation
package import Freshet
import GRDB

extension SQLiteStore: QualityWarningStore {
    package func warningConnections() async throws -> Set<String> {
        try await writer.read { db in Set(try String.fetchAll(db, sql: "SELECT connection_id FROM quality_warning_connections")) }
    }

    package func setWarnings(connectionId: String, enabled: Bool, actor: String, now: Date) async throws {
        try await write { db in
            if enabled {
                try db.execute(
                    sql: "INSERT OR REPLACE INTO quality_warning_connections (connection_id, set_by, set_at) VALUES (?, ?, ?)",
                    arguments: [connectionId, actor, SQLiteTimestamp.text(now)])
            } else {
                try db.execute(sql: "DELETE FROM quality_warning_connections WHERE connection_id = ?", arguments: [connectionId])
            }
        }
    }

    package func freshetWarnings(connectionId: String?) async throws -> [FreshetWarning] {
        try await writer.read { db in
            let rows =
                if let connectionId {
                    try Row.fetchAll(db, sql: "SELECT * FROM quality_warnings WHERE connection_id = ? ORDER BY datasource_id", arguments: [connectionId])
                } else {
                    try Row.fetchAll(db, sql: "SELECT * FROM quality_warnings ORDER BY connection_id, datasource_id")
                }
            return try rows.map { row in
                FreshetWarning(
                    connectionId: try Self.text(row, "connection_id"), datasourceId: try Self.text(row, "datasource_id"),
                    datasourceName: try Self.text(row, "datasource_name"), warningId: row["warning_id"], message: try Self.text(row, "message"),
                    cause: try Self.text(row, "cause"), createdAt: try Self.date(row, "created_at"))
            }
        }
    }

    package func saveFreshetWarning(_ warning: FreshetWarning) async throws {
        try await write { db in
            try db.execute(
                sql: """
                    INSERT OR REPLACE INTO quality_warnings (connection_id, datasource_id, datasource_name, warning_id, message, cause, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    warning.connectionId, warning.datasourceId, warning.datasourceName, warning.warningId, warning.message, warning.cause,
                    SQLiteTimestamp.text(warning.createdAt),
                ])
        }
    }

    package func deleteFreshetWarning(connectionId: String, datasourceId: String) async throws {
        try await write { db in
            try db.execute(sql: "DELETE FROM quality_warnings WHERE connection_id = ? AND datasource_id = ?", arguments: [connectionId, datasourceId])
        }
    }
}
