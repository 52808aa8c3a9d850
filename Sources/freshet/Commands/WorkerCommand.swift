import ArgumentParser
import Foundation
import Freshet
import FreshetServer
import Logging
import ServiceLifecycle

/// `freshet worker`: the refresh engine without the HTTP listener.
struct WorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Drive refresh runs from the shared database, without serving the HTTP API.",
        discussion: """
            Runs the same engine as `freshet serve` (taking over every unfinished run whose driver \
            is gone; at most FRESHET_MAX_TABLEAU_JOBS_PER_CONNECTION Tableau jobs per connection \
            across all processes) but listens on no port, so a deployment can scale API servers \
            and workers apart on one PostgreSQL database. SIGTERM or SIGINT releases its runs' \
            leases (another process takes them over at once), signs out of Tableau and exits 0.

            Settings as for serve: --database, FRESHET_DATABASE_URL or the config key databaseUrl; \
            --data-dir (the key file); FRESHET_LOG_FORMAT and FRESHET_LOG_LEVEL.

            Examples:
              freshet worker --database postgres://freshet@db.example.com:5432/freshet

            Exit codes: 0 stopped cleanly, 2 bad options or configuration.
            """
    )

    @Option(help: "Data directory holding the key file (default: $FRESHET_DATA_DIR, else ~/.freshet).") var dataDir: String?
    @Option(help: "A PostgreSQL database shared by several hosts instead of SQLite: postgres://USER@HOST:PORT/DB (default: $FRESHET_DATABASE_URL).")
    var database: String?
    @Flag(help: "Do not migrate the database on start (it must already be: `freshet migrate`).") var noMigrate = false
    @Option(help: "Log lines as text or json (default text).") var logFormat: String?
    @Option(help: "A JSON config file with dataDir, databaseUrl, logFormat, logLevel.") var config: String?

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        let settings: ServeSettings
        let engineSettings: RefreshEngineConfiguration
        do {
            settings = try await ServeSettings.resolve(
                flags: .init(dataDirectory: dataDir, databaseURL: database, logFormat: logFormat), environment: environment, configFile: config)
            engineSettings = try FreshetRuntime.refreshConfiguration(environment: environment)
        } catch {
            Output.error("\(error)")
            throw ExitCode(2)
        }
        ServeCommand.bootstrapLogging(settings)
        let logger = Logger(label: "freshet")
        for warning in EnvironmentVariables.warnings(environment) { logger.warning("\(warning)") }
        let runtime: FreshetRuntime
        do {
            runtime = try await FreshetRuntime.open(
                dataDirectory: settings.dataDirectory.map { URL(fileURLWithPath: $0) } ?? FreshetRuntime.dataDirectory(),
                databaseURL: settings.databaseURL, migrate: !noMigrate, logger: logger)
        } catch {
            Output.error("\(error)")
            throw ExitCode(2)
        }
        let metrics = PrometheusMetrics()
        let api = FreshetAPI(runtime: runtime, metrics: metrics, engine: runtime.refreshEngine(configuration: engineSettings, metrics: metrics))
        let services = api.backgroundServices(recoveryInterval: engineSettings.leaseDuration / 2, logger: logger)
        Output.line("Freshet worker driving refresh runs on \(runtime.database.location)")
        try await ServiceGroup(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger).run()
    }
}
