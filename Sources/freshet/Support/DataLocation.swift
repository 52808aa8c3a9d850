import ArgumentParser
import Foundation
import FreshetServer

/// `--data-dir`, accepted by every command that uses Freshet's database.
struct DataLocation: ParsableArguments {
    @Option(help: "Data directory holding the SQLite database and the key file (default: $FRESHET_DATA_DIR, else ~/.freshet).")
    var dataDir: String?

    /// The runtime on this data directory.
    func runtime() throws -> FreshetRuntime {
        try FreshetRuntime(dataDirectory: dataDir.map { URL(fileURLWithPath: $0) } ?? FreshetRuntime.dataDirectory())
    }
}
