import ArgumentParser
import Foundation
import Freshet
import FreshetServer
import Logging
import ServiceLifecycle
import TableauEmulator
import UnixSignals

/// `freshet demo`: the offline emulator and the Freshet server in one process, ready to try.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Try Freshet in one command: the Tableau emulator, the server, a connection and a token.",
        discussion: """
            Starts, in this process, the offline Tableau emulator with the demo seed (on 127.0.0.1), \
            Freshet's HTTP API on SQLite in the demo data directory, the connection "demo" to the \
            emulator (PAT freshet-admin) and an admin API token, then prints what to try next: the web \
            console's URL (the API's address; sign in with the token), a curl command, a CLI command and \
            the URL of the API document. The last line it prints before \
            serving is, for scripts,
              Freshet demo ready: api=http://127.0.0.1:PORT token=fsh_… data-dir=DIR

            The data directory is kept between starts: runs, the audit log and the API token (stored \
            in DIR/demo-token, mode 0600, so the printed commands keep working) are still there next \
            time; the connection is pointed at the new emulator port on each start. --reset deletes \
            the demo data directory first (only one that freshet demo created). The emulator's own \
            state (its jobs) starts afresh each time. Ctrl-C or SIGTERM stops the server, then the \
            emulator, and exits 0; runs are in the database, nothing is lost.

            Examples:
              freshet demo
              freshet demo --port 0 --emulator-port 0 --data-dir /tmp/freshet-demo
              freshet demo --reset

            Environment: FRESHET_MASTER_KEY (else the data directory's key file), FRESHET_LOG_LEVEL \
            (default warning, on standard error), FRESHET_LEASE_SECONDS and FRESHET_MAX_TABLEAU_JOBS_PER_CONNECTION \
            (as for freshet serve).
            Exit codes: 0 stopped cleanly, 1 could not serve (a port in use), 2 bad options or a data \
            directory that is not a demo one.
            """
    )

    @Option(help: "Port for Freshet's HTTP API; 0 picks a free port.") var port = 8080
    @Option(help: "Port for the Tableau emulator; 0 picks a free port.") var emulatorPort = 0
    @Option(help: "Demo data directory (default ~/.freshet-demo).") var dataDir: String?
    @Flag(help: "Delete the demo data directory first and start fresh.") var reset = false

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535.") }
        guard (0...65535).contains(emulatorPort) else { throw ValidationError("--emulator-port must be between 0 and 65535.") }
    }

    func run() async throws {
        let directory = dataDir.map { URL(fileURLWithPath: $0).standardizedFileURL }
            ?? FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".freshet-demo")
        let environment = ProcessInfo.processInfo.environment
        let level: Logger.Level
        let engineSettings: RefreshEngineConfiguration
        do {
            level = try ServeSettings.logLevel(environment["FRESHET_LOG_LEVEL"], default: .warning)
            engineSettings = try FreshetRuntime.refreshConfiguration(environment: environment)
        } catch {
            Output.error("\(error)")
            throw ExitCode(2)
        }
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "freshet.demo")
        let runtime: FreshetRuntime
        let emulator: TableauEmulator
        do {
            try DemoDirectory.prepare(directory, reset: reset)
            runtime = try FreshetRuntime(dataDirectory: directory, environment: environment, logger: logger)
            emulator = try TableauEmulator(
                seed: try DemoSeed.seed(),
                configuration: EmulatorConfiguration(host: "127.0.0.1", port: emulatorPort, logger: Logger(label: "freshet.emulator")),
                seedFile: "<demo seed>")
        } catch {
            Output.error("\(error)")
            throw ExitCode(2)
        }
        let metrics = PrometheusMetrics()
        metrics.bootstrapMetricsSystem()

        let (emulatorPorts, emulatorPort) = AsyncStream<Int>.makeStream()
        let (apiPorts, apiPort) = AsyncStream<Int>.makeStream()
        let emulatorApp = emulator.application { port in emulatorPort.yield(port) }
        // The same engine and recovery loop as `freshet serve`: runs created here are driven to
        // their end, and runs left unfinished by the last start are resumed.
        let api = FreshetAPI(runtime: runtime, metrics: metrics, engine: runtime.refreshEngine(configuration: engineSettings, metrics: metrics.engine))
        let recovery = RunRecoveryService(api: api, interval: engineSettings.leaseDuration / 2, logger: logger)
        let server = FreshetHTTPServer(api: api, logger: Logger(label: "freshet.http"))
        let serverApp = server.application(host: "127.0.0.1", port: port) { port in apiPort.yield(port) }
        let setup = DemoSetup(runtime: runtime, emulatorPorts: emulatorPorts, apiPorts: apiPorts)
        // Graceful shutdown runs in reverse: the setup, the API, the refresh engine, then the emulator.
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: [
                    .init(service: emulatorApp), .init(service: recovery), .init(service: FreshnessMonitorService(api: api, logger: logger)), .init(service: AlertDispatchService(api: api, logger: logger)),
                    .init(service: QualityWarningService(api: api, logger: logger)),
                    .init(service: serverApp),
                    .init(service: setup, successTerminationBehavior: .ignore),
                ],
                gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        do {
            try await group.run()
        } catch {
            Output.error("freshet demo stopped: \(error)")
            throw ExitCode(1)
        }
        Output.line("Freshet demo stopped; everything is kept in \(directory.path) (start again with freshet demo\(dataDir.map { " --data-dir \($0)" } ?? "")).")
    }
}
