import Foundation
import Freshet
import TableauClient

extension FreshetRuntime {
    /// Like ``client(for:actor:retry:)``, with every Tableau call reported to `metrics`.
    public func client(
        for name: String, actor: String, retry: RetryPolicy = RetryPolicy(), metrics: any MetricsRecorder
    ) async throws -> TableauClient {
        let (connection, secret) = try await connections.credentials(named: name)
        let credentials: Credentials
        switch connection.auth {
        case .personalAccessToken(let patName):
            credentials = .personalAccessToken(name: patName, secret: secret)
        case .connectedApp(let clientId, let secretId, let username, let scopes):
            credentials = .connectedApp(.init(clientId: clientId, secretId: secretId, secretValue: secret, username: username, scopes: scopes))
        }
        let server = try ServerAddress(connection.server.baseURL, allowInsecureHTTP: connection.server.usesHTTP)
        let configuration = TableauConfiguration(
            server: server, siteContentUrl: connection.siteContentUrl, credentials: credentials,
            apiVersion: connection.apiVersionPin ?? "3.24", negotiateVersion: connection.apiVersionPin == nil, retry: retry, logger: logger
        )
        let cache = StoreSessionCache(
            connectionId: connection.id, connectionName: connection.name, store: store, audit: store, actor: actor, keyring: keyring,
            lifetime: 100 * 60
        )
        return TableauClient(configuration: configuration, transport: MeteredTransport(metrics: metrics), sessionCache: cache)
    }

    /// Runs the four health checks on a stored connection, reporting Tableau calls to `metrics`.
    public func check(_ name: String, actor: String, metrics: any MetricsRecorder) async throws -> [HealthCheckResult] {
        let client = try await client(for: name, actor: actor, retry: RetryPolicy(maxRetries: 1, initialDelay: .milliseconds(200)), metrics: metrics)
        return try await connections.check(named: name, gateway: ClientHealthGateway(client: client), actor: actor)
    }
}
