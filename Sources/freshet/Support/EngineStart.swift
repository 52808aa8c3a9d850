import ArgumentParser
import Foundation
import Freshet
import FreshetServer
import Logging
import ServiceLifecycle

/// The options `serve` and `worker` share: where the database is, whether to migrate it, and
/// how to log.
struct EngineOptions: ParsableArguments {
    @Option(help: "Data directory: the key file, and the SQLite database unless --database (default: $FRESHET_DATA_DIR, else ~/.freshet).")
    var dataDir: String?
    @Option(help: "A PostgreSQL database shared by several hosts instead of SQLite: postgres://USER@HOST:PORT/DB (default: $FRESHET_DATABASE_URL).")
    var database: String?
    @Flag(help: "Do not create or migrate the database on start: it must be at this build's schema (`freshet migrate`), else exit 2 leaving it unchanged.")
    var noMigrate = false
    @Option(help: "Log lines as text or json (default text).") var logFormat: String?
}

/// How `serve` and `worker` start: every setting checked first (a bad one exits 2 naming
/// itself), logging set up, then the runtime opened (exit 2 when the database cannot be used:
/// unreachable, not migrated with --no-migrate, sealed under another key).
struct EngineStart {
    let settings: ServeSettings
    let engineSettings: RefreshEngineConfiguration
    let runtime: FreshetRuntime
    let logger: Logger

    /// Starts with `flags` (`options` fill the data directory, database and log format) and the
    /// JSON file `configFile`; `check` may refuse more of the environment.
    static func begin(
        _ options: EngineOptions, flags: ServeSettings.Flags = .init(), configFile: String?,
        check: ([String: String]) throws -> Void = { _ in }
    ) async throws -> EngineStart {
        let environment = ProcessInfo.processInfo.environment
        var flags = flags
        flags.dataDirectory = options.dataDir
        flags.databaseURL = options.database
        flags.logFormat = options.logFormat
        let settings: ServeSettings
        let engineSettings: RefreshEngineConfiguration
        do {
            settings = try await ServeSettings.resolve(flags: flags, environment: environment, configFile: configFile)
            engineSettings = try FreshetRuntime.refreshConfiguration(environment: environment)
            try check(environment)
        } catch {
            Output.error("\(error)")
            throw ExitCode(2)
        }
        bootstrapLogging(settings)
        let logger = Logger(label: "freshet")
        for warning in EnvironmentVariables.warnings(environment) { logger.warning("\(warning)") }
        do {
            let runtime = try await FreshetRuntime.open(
                dataDirectory: settings.dataDirectory.map { URL(fileURLWithPath: $0) } ?? FreshetRuntime.dataDirectory(),
                databaseURL: settings.databaseURL, migrate: !options.noMigrate, logger: logger)
            return EngineStart(settings: settings, engineSettings: engineSettings, runtime: runtime, logger: logger)
        } catch {
            Output.error("\(error)")
            throw ExitCode(2)
        }
    }

    /// The API on this runtime with its refresh engine, both recording to `metrics`.
    func api(metrics: PrometheusMetrics) -> FreshetAPI {
        FreshetAPI(runtime: runtime, metrics: metrics, engine: runtime.refreshEngine(configuration: engineSettings, metrics: metrics.engine))
    }

    /// The engine's services: recovery every half lease, run changes from other processes.
    func backgroundServices(_ api: FreshetAPI) -> [any Service] {
        api.backgroundServices(recoveryInterval: engineSettings.leaseDuration / 2, logger: logger)
    }

    /// Log lines as `settings` asks (text or JSON on standard error, at its level).
    static func bootstrapLogging(_ settings: ServeSettings) {
        let level = Logger.Level(rawValue: settings.logLevel) ?? .info
        let format = settings.logFormat
        LoggingSystem.bootstrap { label in
            switch format {
            case .json: return JSONLogHandler(label: label, level: level)
            case .text:
                var handler = StreamLogHandler.standardError(label: label)
                handler.logLevel = level
                return handler
            }
        }
    }
}
