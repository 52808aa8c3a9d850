import ArgumentParser
import Foundation
import FreshetServer

/// `--data-dir` and `--database`, accepted by every command that uses Freshet's database.
struct DataLocation: ParsableArguments {
    @Option(help: "Data directory holding the key file and the SQLite database (default: $FRESHET_DATA_DIR, else ~/.freshet).")
    var dataDir: String?

    @Option(
        help: ArgumentHelp(
            "A PostgreSQL database shared by several hosts instead of SQLite: postgres://USER@HOST:PORT/DB[?sslmode=require|verify-full&sslrootcert=CA.pem] (default: $FRESHET_DATABASE_URL). The password comes from PGPASSWORD or the file named by FRESHET_DATABASE_PASSWORD_FILE rather than the URL, which others can see in the process list.",
            valueName: "url"))
    var database: String?

    /// The runtime on this database (migrated first when it is PostgreSQL).
    func runtime() async throws -> FreshetRuntime {
        try await FreshetRuntime.open(dataDirectory: dataDir.map { URL(fileURLWithPath: $0) } ?? FreshetRuntime.dataDirectory(), databaseURL: database)
    }
}
