package import Foundation
import Freshet
import FreshetPostgres
import FreshetSQLite
package import Logging

/// `freshet migrate --from-sqlite DIR`: copies everything a SQLite data directory's database holds
/// into an empty PostgreSQL database, in one transaction, secrets still sealed under the same
/// master key (decision docs/decisions/store-copy.md).
package enum SQLiteToPostgres {
    /// Why nothing was copied.
    package struct Failure: Error, Sendable, CustomStringConvertible {
        package enum Kind: Sendable {
            /// The SQLite database is missing, not Freshet's, or not at this build's schema.
            case source
            /// PostgreSQL cannot be used (bad URL, unreachable, newer schema, a value refused).
            case target
            /// PostgreSQL already holds rows.
            case targetNotEmpty
        }

        package let kind: Kind
        package let description: String
    }

    /// Copies the database of `dataDirectory` into the PostgreSQL database `databaseURL` (migrated
    /// first, so a new database works), or with `dryRun` writes it all and rolls it back.
    /// - Parameter progress: called after each table with its name and row count.
    /// - Returns: each table copied and its rows, referenced tables first.
    /// - Throws: ``Failure``; nothing is written in PostgreSQL then.
    package static func copy(
        from dataDirectory: URL, to databaseURL: String, environment: [String: String] = ProcessInfo.processInfo.environment,
        dryRun: Bool = false, logger: Logger = Logger(label: "freshet", factory: { _ in SwiftLogNoOpLogHandler() }),
        progress: (_ table: String, _ rows: Int) -> Void = { _, _ in }
    ) async throws -> [(name: String, rows: Int)] {
        let snapshot: SQLiteSnapshot
        do {
            snapshot = try SQLiteSnapshot.read(path: dataDirectory.appendingPathComponent(FreshetRuntime.databaseFileName).path)
        } catch {
            throw Failure(kind: .source, description: "\(error)")
        }
        do {
            let database = try FreshetRuntime.startPostgres(databaseURL, environment: environment, logger: logger)
            try await database.migrate()
            return try await database.importTables(snapshot.tables, commit: !dryRun, progress: progress).map { ($0.name, $0.rows) }
        } catch let error as PostgresImportError where error.reason == .notEmpty {
            throw Failure(kind: .targetNotEmpty, description: error.description)
        } catch {
            throw Failure(kind: .target, description: "\(error)")
        }
    }
}
