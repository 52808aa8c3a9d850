import Foundation
package import Freshet
import TableauClient

extension FreshetRuntime {
    /// A refresh engine on this runtime's database: one Tableau client per connection (so all
    /// of a connection's calls share one session), with `configuration`.
    package func refreshEngine(configuration: RefreshEngineConfiguration, metrics: EngineMetrics = EngineMetrics()) -> RefreshEngine {
        let pool = RefreshClientPool(runtime: self, metrics: metrics)
        return RefreshEngine(
            store: store, connections: cachedConnections, audit: store, gateways: { connection in try await pool.gateway(for: connection) },
            configuration: configuration, metrics: metrics, logger: logger)
    }

    /// A refresh engine tuned by `FRESHET_LEASE_SECONDS`, `FRESHET_MAX_TABLEAU_JOBS_PER_CONNECTION`
    /// (alias: `FRESHET_MAX_CONCURRENT_REFRESHES`) and `FRESHET_ENGINE_WORKERS`; throws
    /// ``ServeSettings/Invalid`` naming a bad one.
    package func refreshEngine(
        environment: [String: String] = ProcessInfo.processInfo.environment, metrics: EngineMetrics = EngineMetrics()
    ) throws(ServeSettings.Invalid) -> RefreshEngine {
        refreshEngine(configuration: try Self.refreshConfiguration(environment: environment), metrics: metrics)
    }

    /// The environment variable that limits Tableau jobs per connection, and its older alias.
    package static let jobLimitVariables = ["FRESHET_MAX_TABLEAU_JOBS_PER_CONNECTION", "FRESHET_MAX_CONCURRENT_REFRESHES"]

    /// The engine settings `environment` asks for; a value that is not a number in its range
    /// throws ``ServeSettings/Invalid`` naming the variable and the accepted values.
    package static func refreshConfiguration(environment: [String: String]) throws(ServeSettings.Invalid) -> RefreshEngineConfiguration {
        var configuration = RefreshEngineConfiguration()
        if let text = environment["FRESHET_LEASE_SECONDS"] {
            guard let seconds = Double(text.trimmingCharacters(in: .whitespaces)), seconds.isFinite, (0.1...3600).contains(seconds) else {
                throw ServeSettings.Invalid(description: "FRESHET_LEASE_SECONDS must be a number of seconds from 0.1 to 3600 (got \"\(text)\").")
            }
            configuration.leaseDuration = .milliseconds(Int64(seconds * 1000))
            configuration.watchInterval = min(configuration.watchInterval, .milliseconds(Int64(seconds * 250)))
        }
        for variable in jobLimitVariables.reversed() {
            if let limit = try integer(variable, in: 1...100_000, environment) { configuration.maxTableauJobsPerConnection = limit }
        }
        if let workers = try integer("FRESHET_ENGINE_WORKERS", in: 1...64, environment) { configuration.workers = workers }
        // Per-site hourly budget (decision waiting-at-the-limit.md); unset: Tableau Cloud's capacity on Cloud.
        configuration.siteBudget = TableauSiteBudget(
            refreshStartsPerHour: try integer("FRESHET_TABLEAU_REFRESH_STARTS_PER_HOUR", in: 1...1_000_000, environment),
            statusChecksPerHour: try integer("FRESHET_TABLEAU_STATUS_CHECKS_PER_HOUR", in: 1...1_000_000, environment))
        return configuration
    }

    private static func integer(_ variable: String, in range: ClosedRange<Int>, _ environment: [String: String]) throws(ServeSettings.Invalid) -> Int? {
        guard let text = environment[variable] else { return nil }
        guard let value = Int(text.trimmingCharacters(in: .whitespaces)), range.contains(value) else {
            throw ServeSettings.Invalid(
                description: "\(variable) must be a whole number from \(range.lowerBound) to \(range.upperBound) (got \"\(text)\").")
        }
        return value
    }
}

/// One Tableau client per connection for the life of an engine; rebuilt when the connection is edited.
actor RefreshClientPool {
    private let runtime: FreshetRuntime
    private let metrics: EngineMetrics
    private var gateways: [String: (updatedAt: Date, gateway: ClientRefreshGateway)] = [:]

    init(runtime: FreshetRuntime, metrics: EngineMetrics) {
        self.runtime = runtime
        self.metrics = metrics
    }

    func gateway(for connection: Connection) async throws -> any RefreshGateway {
        try await clientGateway(for: connection)
    }

    /// The same gateway, for data quality warnings.
    func warningGateway(for connection: Connection) async throws -> any WarningGateway {
        try await clientGateway(for: connection)
    }

    private func clientGateway(for connection: Connection) async throws -> ClientRefreshGateway {
        if let cached = gateways[connection.id], cached.updatedAt == connection.updatedAt { return cached.gateway }
        let gateway = ClientRefreshGateway(client: try await runtime.client(for: connection.name, actor: "system", transport: MeteredTransport(metrics: metrics), metrics: metrics))
        gateways[connection.id] = (connection.updatedAt, gateway)
        return gateway
    }
}
