import ArgumentParser
import Foundation
import FreshetServer
import ServiceLifecycle
import UnixSignals

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

            Exit codes: 0 stopped cleanly, 2 bad options or configuration, or a database that \
            cannot be used (unreachable; with --no-migrate, not at this build's schema).
            """
    )

    @OptionGroup var engine: EngineOptions
    @Option(help: "A JSON config file with dataDir, databaseUrl, logFormat, logLevel.") var config: String?

    func run() async throws {
        let start = try await EngineStart.begin(engine, configFile: config)
        let api = start.api(metrics: PrometheusMetrics())
        // Announced once the group runs, so that a SIGTERM right after the line still stops it gracefully.
        let announce = StartLineService(line: "Freshet worker driving refresh runs on \(start.runtime.database.location)")
        try await ServiceGroup(services: [announce] + start.backgroundServices(api), gracefulShutdownSignals: [.sigterm, .sigint], logger: start.logger)
            .run()
    }
}

/// Prints its line when its service group runs (after the group trapped its signals), then
/// waits for the group's graceful shutdown.
struct StartLineService: Service {
    let line: String

    func run() async throws {
        Output.line(line)
        try? await gracefulShutdown()
    }
}
