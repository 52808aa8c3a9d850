import Foundation
import Freshet
import TableauClient

extension FreshetRuntime {
    /// A refresh engine on this runtime's database: one Tableau client per connection (so all
    /// of a connection's calls share one session), tuned by `FRESHET_LEASE_SECONDS`,
    /// `FRESHET_MAX_TABLEAU_JOBS_PER_CONNECTION` (alias: `FRESHET_MAX_CONCURRENT_REFRESHES`) and
    /// `FRESHET_ENGINE_WORKERS`.
    public func refreshEngine(
        environment: [String: String] = ProcessInfo.processInfo.environment, configuration: RefreshEngineConfiguration? = nil,
        metrics: any MetricsRecorder = NoMetrics()
    ) -> RefreshEngine {
        let pool = RefreshClientPool(runtime: self, metrics: metrics)
        return RefreshEngine(
            store: store, connections: store, audit: store, gateways: { connection in try await pool.gateway(for: connection) },
            configuration: configuration ?? Self.refreshConfiguration(environment: environment), metrics: metrics, logger: logger)
    }

    /// The environment variable that limits Tableau jobs per connection, and its older alias.
    public static let jobLimitVariables = ["FRESHET_MAX_TABLEAU_JOBS_PER_CONNECTION", "FRESHET_MAX_CONCURRENT_REFRESHES"]

    /// The engine settings `environment` asks for.
    public static func refreshConfiguration(environment: [String: String]) -> RefreshEngineConfiguration {
        var configuration = RefreshEngineConfiguration()
        if let seconds = environment["FRESHET_LEASE_SECONDS"].flatMap(Double.init), seconds > 0 {
            configuration.leaseDuration = .milliseconds(Int64(seconds * 1000))
            configuration.watchInterval = min(configuration.watchInterval, .milliseconds(Int64(seconds * 250)))
        }
        if let limit = jobLimitVariables.lazy.compactMap({ environment[$0].flatMap(Int.init) }).first, limit > 0 {
            configuration.maxTableauJobsPerConnection = limit
        }
        if let workers = environment["FRESHET_ENGINE_WORKERS"].flatMap(Int.init), workers > 0 {
            configuration.workers = workers
        }
        return configuration
    }
}

/// One Tableau client per connection for the life of an engine; rebuilt when the connection is edited.
actor RefreshClientPool {
    private let runtime: FreshetRuntime
    private let metrics: any MetricsRecorder
    private var gateways: [String: (updatedAt: Date, gateway: ClientRefreshGateway)] = [:]

    init(runtime: FreshetRuntime, metrics: any MetricsRecorder) {
        self.runtime = runtime
        self.metrics = metrics
    }

    func gateway(for connection: Connection) async throws -> any RefreshGateway {
        if let cached = gateways[connection.id], cached.updatedAt == connection.updatedAt { return cached.gateway }
        let gateway = ClientRefreshGateway(client: try await runtime.client(for: connection.name, actor: "system", transport: MeteredTransport(metrics: metrics)))
        gateways[connection.id] = (connection.updatedAt, gateway)
        return gateway
    }
}
