import ArgumentParser
import Foundation
import Hummingbird

/// `freshet-bench bare-http`: a bare Hummingbird route (`GET /` → "ok") on 127.0.0.1, the
/// baseline bench/api/run.sh compares Freshet's API with. Prints its URL, serves until SIGTERM.
struct BareHTTPBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bare-http", abstract: "Serve GET / → \"ok\" (the baseline of bench/api).", shouldDisplay: false)

    @Option(help: "Port (0 picks a free one).") var port = 0

    func run() async throws {
        let router = Router()
        router.get("/") { _, _ in "ok" }
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: port), serverName: "bare"),
            onServerRunning: { channel in FileHandle.standardOutput.write(Data("bare-http listening on http://127.0.0.1:\(channel.localAddress?.port ?? 0)\n".utf8)) })
        try await app.runService()
    }
}
