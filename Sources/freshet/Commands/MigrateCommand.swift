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

            Examples:
              freshet migrate
              freshet migrate --database postgres://freshet@db.example.com:5432/freshet

            Exit codes: 0 migrated (or nothing to do), 2 the database cannot be used.
            """
    )

    @OptionGroup var location: DataLocation

    func run() async throws {
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
}
