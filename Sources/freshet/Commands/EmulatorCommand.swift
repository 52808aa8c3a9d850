import ArgumentParser
import Foundation
import Logging
import TableauEmulator

/// `freshet emulator`: run the offline Tableau emulator.
struct EmulatorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "emulator",
        abstract: "Run an offline Tableau Server/Cloud emulator that Tableau's own clients accept.",
        discussion: """
            Serves Tableau's REST API (/api/2.4 … /api/<max>), the versionless /api/-/ endpoints and \
            the Metadata API from a seed file, plus an admin API under /_emulator/ (request log, faults, \
            session revocation, clock). The seed format is described in docs/emulator.md; without \
            --seed the built-in demo seed (seeds/demo.json) is used.

            Examples:
              freshet emulator
              freshet emulator --seed seeds/demo.json --host 127.0.0.1 --port 0
              freshet emulator --print-demo-seed > my-seed.json

            The first line written to standard output is
              Tableau emulator listening on http://HOST:PORT
            (with the real port when --port 0 picks one).

            Environment: LOG_LEVEL (trace, debug, info, notice, warning, error) for the emulator's own log.
            Exit codes: 0 stopped cleanly (SIGINT/SIGTERM), 2 bad options or a bad seed file.
            """
    )

    @Option(help: "Seed file (JSON) describing sites, users, tokens, content and job behaviours.")
    var seed: String?

    @Option(help: "Address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "Port to listen on; 0 picks a free port and prints it.")
    var port = 8800

    @Option(help: "Highest REST API version to serve (overrides the seed), e.g. 3.19.")
    var maxApiVersion: String?

    @Option(help: "Session lifetime in minutes (overrides the seed; Server default 240, Cloud 120).")
    var sessionMinutes: Double?

    @Flag(help: "Run jobs on a manual clock moved with POST /_emulator/clock/advance instead of real time.")
    var manualClock = false

    @Flag(help: "Print the built-in demo seed and exit.")
    var printDemoSeed = false

    func validate() throws {
        guard (0...65535).contains(port) else { throw ArgumentParser.ValidationError("--port must be between 0 and 65535.") }
        if let sessionMinutes, sessionMinutes <= 0 { throw ArgumentParser.ValidationError("--session-minutes must be positive.") }
    }

    func run() async throws {
        if printDemoSeed {
            print(DemoSeed.json, terminator: "")
            return
        }
        var logger = Logger(label: "freshet.emulator")
        logger.logLevel = ProcessInfo.processInfo.environment["LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .warning
        let configuration = EmulatorConfiguration(
            host: host, port: port, maxApiVersion: maxApiVersion, sessionMinutes: sessionMinutes,
            clock: manualClock ? .manual(start: Date()) : .system(), logger: logger
        )
        let emulator: TableauEmulator
        do {
            if let seed {
                emulator = try TableauEmulator(seedFile: seed, configuration: configuration)
            } else {
                emulator = try TableauEmulator(seed: try DemoSeed.seed(), configuration: configuration, seedFile: "<demo seed>")
            }
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(2)
        }
        let host = host
        try await emulator.run { port in
            FileHandle.standardOutput.write(Data("Tableau emulator listening on http://\(host):\(port)\n".utf8))
        }
    }
}
