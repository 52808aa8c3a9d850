import ArgumentParser
import Foundation
import FreshetServer

/// `freshet migrate`: brings the database to this build's schema.
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Migrate the database (SQLite or PostgreSQL) to this build's schema.",
        discussion: """
            Migrations only go forward and are safe to run from several hosts at once (PostgreSQL: \
            an advisory lock; SQLite: one transaction). A database written by a newer Freshet is \
            refused and left unchanged. `freshet serve` migrates on start unless --no-migrate, so \
            run this before a rolling upgrade whose servers start with --no-migrate.

            --from-sqlite DIR copies everything the SQLite database in the data directory DIR holds \
            (connections with their secrets still sealed, runs, audit log, tokens, …) into the \
            PostgreSQL database named by --database or FRESHET_DATABASE_URL, which must be empty \
            (it is migrated first): one transaction, all or nothing. DIR's database must be at this \
            build's schema (run `freshet migrate --data-dir DIR` first) and no process should use it \
            meanwhile. Every host then needs DIR's master key (its master.key, or FRESHET_MASTER_KEY). \
            --dry-run copies and rolls back.

            Examples:
              freshet migrate
              freshet migrate --database postgres://freshet@db.example.com:5432/freshet
              freshet migrate --from-sqlite ~/.freshet --database postgres://freshet@db.example.com:5432/freshet

            Exit codes: 0 migrated or copied (or nothing to do), 2 the database (or DIR's) cannot be \
            used, 3 the PostgreSQL database is not empty (nothing copied).
            """
    )

    @OptionGroup var location: DataLocation

    @Option(
        name: .customLong("from-sqlite"),
        help: ArgumentHelp("Copy the SQLite database of this data directory into the empty PostgreSQL database.", valueName: "dir"))
    var fromSQLite: String?

    @Flag(help: "With --from-sqlite: copy, show the counts, then roll everything back.")
    var dryRun = false

    func run() async throws {
        if let fromSQLite {
            try await copy(from: fromSQLite)
            return
        }
        guard !dryRun else {
            Output.error("--dry-run goes with --from-sqlite DIR.")
            throw ExitCode(2)
        }
        let runtime: FreshetRuntime
        do {
            runtime = try await location.runtime()
        } catch {
            Output.error("\(error)")
            throw ExitCode(2)
        }
        let version = try await runtime.database.schemaVersionName() ?? "none"
        Output.line("The database \(runtime.database.location) is at schema version \(version).")
    }

    private func copy(from directory: String) async throws {
        let environment = ProcessInfo.processInfo.environment
        guard let url = location.database ?? environment[FreshetRuntime.databaseURLVariable], !url.isEmpty else {
            Output.error("--from-sqlite copies into PostgreSQL: name it with --database postgres://USER@HOST:PORT/DB or FRESHET_DATABASE_URL.")
            throw ExitCode(2)
        }
        let source = URL(fileURLWithPath: (directory as NSString).expandingTildeInPath)
        Output.line("\(dryRun ? "Dry run: copying" : "Copying") \(source.appendingPathComponent(FreshetRuntime.databaseFileName).path) into PostgreSQL…")
        let tables: [(name: String, rows: Int)]
        do {
            tables = try await SQLiteToPostgres.copy(from: source, to: url, environment: environment, dryRun: dryRun) { table, rows in
                Output.line("  \(table): \(rows) row\(rows == 1 ? "" : "s")")
            }
        } catch let failure as SQLiteToPostgres.Failure {
            Output.error(failure.description)
            throw ExitCode(failure.kind == .targetNotEmpty ? 3 : 2)
        }
        let total = tables.reduce(0) { $0 + $1.rows }
        if dryRun {
            Output.line("Dry run: \(total) rows in \(tables.count) tables would be copied; everything was rolled back.")
        } else {
            Output.line("Copied \(total) rows in \(tables.count) tables in one transaction. Secrets are still sealed under the master key of \(source.path): "
                + "give every host that key (its master.key file, or FRESHET_MASTER_KEY), and stop using the SQLite database.")
        }
    }
}
