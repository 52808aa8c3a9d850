import Foundation
import Freshet
import TableauClient

extension FreshetRuntime {
    /// A refresh engine on this runtime's database: one Tableau client per connection (so job
    /// polling batches), tuned by `FRESHET_LEASE_SECONDS` and `FRESHET_MAX_CONCURRENT_REFRESHES`.
    public func refreshEngine(
        environment: [String: String] = ProcessInfo.processInfo.environment, configuration: RefreshEngineConfiguration? = nil,
        metrics: any MetricsRecorder = NoMetrics()
    ) -> RefreshEngine {
        let pool = RefreshClientPool(runtime: self, metrics: metrics)
        return RefreshEngine(
            store: store, connections: store, audit: store, gateways: { connection in try await pool.gateway(for: connection) },
            configuration: configuration ?? Self.refreshConfiguration(environment: environment), metrics: metrics, logger: logger)
    }

    /// The engine settings `environment` asks for.
    public static func refreshConfiguration(environment: [String: String]) -> RefreshEngineConfiguration {
        var configuration = RefreshEngineConfiguration()
        if let seconds = environment["FRESHET_LEASE_SECONDS"].flatMap(Double.init), seconds > 0 {
            configuration.leaseDuration = .milliseconds(Int64(seconds * 1000))
            configuration.watchInterval = min(configuration.watchInterval, .milliseconds(Int64(seconds * 250)))
        }
        if let limit = environment["FRESHET_MAX_CONCURRENT_REFRESHES"].flatMap(Int.init), limit > 0 {
            configuration.maxConcurrentRefreshesPerConnection = limit
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
