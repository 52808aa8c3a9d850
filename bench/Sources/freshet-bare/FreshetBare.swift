import Foundation
import Hummingbird

/// `freshet-bare [--port N] [--size BYTES]`: one bare Hummingbird route, `GET /run` → a JSON
/// object shaped like a Freshet run and padded to about BYTES bytes (default 700), encoded per
/// request like any Hummingbird JSON route. bench/hardening compares Freshet's API with it.
/// Prints "freshet-bare listening on http://127.0.0.1:PORT" and serves until SIGTERM.
struct BareRun: ResponseEncodable {
    var id = "0b9c4f52-3d0e-4f8e-9a51-6f7c2d1e8a40"
    var state = "succeeded"
    var finished = true
    var connection = "demo"
    var itemType = "datasource"
    var itemName = "Quick"
    var tableauJobId = "5c1e7d2a-9b3f-4a60-8e21-0d4f6b7a9c13"
    var attempts = 1
    var createdAt = "2026-11-29T09:00:00Z"
    var updatedAt = "2026-11-29T09:00:03Z"
    var notes: String
}

@main
enum FreshetBare {
    static func option(_ name: String, default fallback: Int) -> Int {
        let arguments = CommandLine.arguments
        guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count, let value = Int(arguments[index + 1]) else {
            return fallback
        }
        return value
    }

    static func main() async throws {
        let port = option("--port", default: 0)
        let size = option("--size", default: 700)
        let empty = (try? JSONEncoder().encode(BareRun(notes: "")).count) ?? 0
        let notes = String(repeating: "x", count: max(0, size - empty))

        let router = Router()
        router.get("/run") { _, _ in BareRun(notes: notes) }
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: port), serverName: "bare"),
            onServerRunning: { channel in
                FileHandle.standardOutput.write(Data("freshet-bare listening on http://127.0.0.1:\(channel.localAddress?.port ?? 0)\n".utf8))
            })
        try await app.runService()
    }
}
