import ArgumentParser
import Foundation
import Freshet
import FreshetServer
import Hummingbird
import Logging
import ServiceLifecycle
import Synchronization

/// `freshet serve`: the HTTP API pipelines call.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve Freshet's HTTP API (/api/v1), /health, /ready and /metrics.",
        discussion: """
            Callers authenticate with API tokens (Authorization: Bearer fsh_…). On the first start, \
            when the database has no token at all, serve creates the admin token "admin" and prints \
            it once. The first line on standard output is
              Freshet listening on http://HOST:PORT
            (with the real port when --port 0 picks one). SIGTERM or SIGINT stops accepting \
            requests, lets the ones in flight finish, stops driving refresh runs (they stay in the \
            database and resume on the next start) and exits 0.

            The server drives refresh runs: on start and then every half lease it takes over every \
            unfinished run whose driver is gone (a crashed process, or `freshet refresh` without --wait). \
            FRESHET_LEASE_SECONDS (default 30) and FRESHET_MAX_TABLEAU_JOBS_PER_CONNECTION (default 20, across every process on the database; alias FRESHET_MAX_CONCURRENT_REFRESHES) tune it.

            Connections with keep-alive on (`connection edit NAME --keep-alive-days 7`) are signed in \
            again once their last sign-in is that old, so an idle Tableau Cloud PAT never lapses; each \
            keep-alive sign-in is in the audit log as tableau.keepalive. See docs/secrets.md.

            Storage: SQLite in the data directory, or a PostgreSQL database shared by several hosts \
            (--database postgres://USER@HOST:PORT/DB, FRESHET_DATABASE_URL or config key databaseUrl; \
            the password from PGPASSWORD or FRESHET_DATABASE_PASSWORD_FILE). serve migrates the \
            database on start unless --no-migrate (then a database that is not at this build's \
            schema, or a missing SQLite file, exits 2 unchanged). `freshet worker` runs the engine without HTTP.

            Settings come from flags, then FRESHET_HOST, FRESHET_PORT, FRESHET_DATA_DIR, FRESHET_DATABASE_URL, \
            FRESHET_LOG_FORMAT, FRESHET_LOG_LEVEL, FRESHET_PUBLIC_URL, then the JSON --config file (keys host, port, \
            dataDir, databaseUrl, logFormat, logLevel, publicUrl); see docs/configuration.md.

            With a public URL (--public-url), serve registers Tableau webhooks for each connection whose \
            account may (site administrators): data source and workbook refreshes that succeeded or \
            failed post to <public URL>/hooks/tableau/<connection id>/<secret>, and a delivery wakes the \
            runs waiting on that item at once (confirmed with one job read). The webhooks are checked \
            every 10 minutes (re-created when missing) and deleted with the connection. Polling stays as \
            a slow fallback. Without a public URL nothing changes.

            Examples:
              freshet serve
              freshet serve --host 0.0.0.0 --port 8080 --log-format json
              FRESHET_PORT=0 freshet serve --config /etc/freshet/serve.json

            Every setting is checked at start (config file keys included); a bad one names \
            itself and the values it accepts. The access-event secret (FRESHET_ACCESS_EVENT_SECRET or \
            FRESHET_ACCESS_EVENT_SECRET_FILE), when set, must be readable and at least 16 bytes.

            Exit codes: 0 stopped cleanly; 2 bad options or configuration, a data directory that \
            cannot be opened (a missing master key, an empty or foreign database file, an unmigrated \
            one with --no-migrate), or an \
            address it cannot listen on (port in use, host not on this machine); 1 the server \
            failed while running.
            """
    )

    @Option(help: "Address to listen on (default 127.0.0.1).") var host: String?
    @Option(help: "Port to listen on; 0 picks a free port and prints it (default 8080).") var port: Int?
    @OptionGroup var engine: EngineOptions
    @Option(help: "A JSON config file with host, port, dataDir, logFormat, logLevel, publicUrl.") var config: String?
    @Option(
        help: "The http(s) address Tableau reaches this server at (or FRESHET_PUBLIC_URL); serve then registers Tableau webhooks per connection so that a refresh's end wakes its runs at once (polling stays as the fallback)."
    ) var publicUrl: String?

    func run() async throws {
        let start = try await EngineStart.begin(
            engine, flags: .init(host: host, port: port, publicURL: publicUrl), configFile: config,
            check: { environment in _ = try FreshetRuntime.accessEventSecret(environment: environment) })
        let (settings, runtime, logger) = (start.settings, start.runtime, start.logger)
        if let (_, secret) = try await runtime.tokens.createInitialAdminIfNone(actor: "system") {
            Output.line("Created the admin API token (shown only now; keep it safe):")
            Output.line("  \(secret)")
        }
        let metrics = PrometheusMetrics()
        metrics.bootstrapMetricsSystem()
        var api = start.api(metrics: metrics)
        api.publicURL = settings.publicURL
        let server = FreshetHTTPServer(api: api, logger: logger)
        let services = start.backgroundServices(api)
        let host = settings.host
        let listening = Mutex(false)
        do {
            let freshness: [any Service] = [
                FreshnessMonitorService(api: api, logger: logger), AlertDispatchService(api: api, logger: logger), QualityWarningService(api: api, logger: logger),
            ]
            try await server.application(host: host, port: settings.port, services: services + freshness) { port in
                listening.withLock { $0 = true }
                Output.line("Freshet listening on http://\(host):\(port)")
            }.runService()
        } catch {
            guard !listening.withLock({ $0 }) else { throw error }
            // The address is in use, not on this machine, or not resolvable: a configuration error.
            Output.error("freshet serve could not listen on \(host):\(settings.port): \(error)")
            throw ExitCode(2)
        }
    }
}
