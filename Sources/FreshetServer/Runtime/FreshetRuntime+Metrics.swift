import Foundation
package import Freshet
import TableauClient

extension FreshetRuntime {
    /// Runs the five health checks on a stored connection, reporting Tableau calls to `metrics`.
    package func check(_ name: String, actor: String, metrics: EngineMetrics) async throws -> [HealthCheckResult] {
        let client = try await client(for: name, actor: actor, retry: Self.checkRetry, transport: MeteredTransport(metrics: metrics), metrics: metrics)
        return try await connections.check(named: name, gateway: ClientHealthGateway(client: client), actor: actor)
    }
}
