import Foundation
import Freshet
import FreshetServer
import TableauEmulator

/// A temporary data directory with its own master key, where the demo connection "demo" (the
/// emulator's administrator PAT) can be added; remove it when done.
struct DemoDataDirectory {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("freshet-test-\(UUID().uuidString)")
    let key = MasterKey.generate().base64

    /// A runtime on this directory: each call opens its own database handle, as a separate process would.
    func runtime() throws -> FreshetRuntime {
        try FreshetRuntime(dataDirectory: directory, environment: ["FRESHET_MASTER_KEY": key])
    }

    /// A runtime on the PostgreSQL database `databaseURL` (migrated), with this directory's key.
    func runtime(databaseURL: String) async throws -> FreshetRuntime {
        try await FreshetRuntime.open(dataDirectory: directory, databaseURL: databaseURL, environment: ["FRESHET_MASTER_KEY": key])
    }

    /// Adds the "demo" connection to `emulator` (on PostgreSQL when `databaseURL` is given) and
    /// returns the runtime that added it.
    func addDemoConnection(_ emulator: RunningEmulator, databaseURL: String? = nil) async throws -> FreshetRuntime {
        let runtime = if let databaseURL { try await runtime(databaseURL: databaseURL) } else { try runtime() }
        _ = try await runtime.connections.add(
            ConnectionDraft(name: "demo", serverURL: emulator.baseURL, patName: "freshet-admin", patSecret: "demo-admin-pat-secret"),
            actor: "test"
        )
        return runtime
    }

    /// The environment of a `freshet` child process on this directory, plus `extra`.
    func processEnvironment(_ extra: [String: String] = [:]) -> [String: String] {
        ["FRESHET_DATA_DIR": directory.path, "FRESHET_MASTER_KEY": key, "PATH": "/usr/bin:/bin", "HOME": directory.path]
            .merging(extra) { _, new in new }
    }

    func remove() {
        try? FileManager.default.removeItem(at: directory)
    }
}
