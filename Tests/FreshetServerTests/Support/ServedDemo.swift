import Foundation
import Freshet
import FreshetServer
import TableauEmulator
import Testing

/// The setting of the CLI-as-a-client tests: the built `freshet` binary, the emulator with the
/// refresh seed, a runtime on a data directory (`data`) holding the demo connection, and a second, empty
/// data directory for the client's side (`elsewhere`), both removed afterwards.
func withServedDemo(
    _ body:
        @escaping @Sendable (
            _ binary: URL, _ emulator: RunningEmulator, _ runtime: FreshetRuntime, _ data: DemoDataDirectory, _ elsewhere: DemoDataDirectory
        ) async throws -> Void
) async throws {
    let binary = try #require(ProcessSharingTests.freshetBinary(), "build the freshet product first (scripts/test does)")
    let data = DemoDataDirectory()
    let elsewhere = DemoDataDirectory()
    defer {
        data.remove()
        elsewhere.remove()
    }
    try await withEmulator(seed: try RefreshSeed.seed()) { emulator in
        try await body(binary, emulator, try await data.addDemoConnection(emulator), data, elsewhere)
    }
}
