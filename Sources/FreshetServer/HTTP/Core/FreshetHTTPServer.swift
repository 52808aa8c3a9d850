import Foundation
import Freshet
package import Hummingbird
import HummingbirdCore
package import Logging
import NIOCore
package import ServiceLifecycle

/// Freshet's HTTP server: `/health`, `/ready`, `/metrics`, the OpenAPI document and the
/// bearer-authenticated `/api/v1` routes, with problem documents for every error.
///
/// ```swift
/// let server = FreshetHTTPServer(api: FreshetAPI(runtime: runtime, metrics: PrometheusMetrics()))
/// try await server.application(host: "127.0.0.1", port: 0) { port in print(port) }.runService()
/// ```
package struct FreshetHTTPServer: Sendable {
    package let api: FreshetAPI
    package let logger: Logger

    package init(api: FreshetAPI, logger: Logger = Logger(label: "freshet.http", factory: { _ in SwiftLogNoOpLogHandler() })) {
        self.api = api
        self.logger = logger
    }

    /// The `/api/v1` route families, in registration order. Phase 2: add `RunRoutes()` here.
    package static var apiRoutes: [any APIRouteCollection] {
        [ConnectionRoutes(), AuditRoutes(), TokenRoutes(), AccessRoutes(), UserRoutes(), ContentRoutes(), PassThroughRoutes()]
            + [RunRoutes()] + [FreshnessRoutes(), AlertRoutes(), PipelineEventRoutes(), QualityWarningRoutes()]
    }

    /// The router with every route and middleware.
    package func router(apiRoutes: [any APIRouteCollection] = FreshetHTTPServer.apiRoutes) -> Router<FreshetRequestContext> {
        let router = Router(context: FreshetRequestContext.self)
        let index = RouteIndex()
        router.add(middleware: RequestMetricsMiddleware(metrics: api.metrics))
        router.add(middleware: ProblemMiddleware(routes: index, storage: api.storage))
        router.add(middleware: DurableAnswersMiddleware(waitUntilDurable: { [database = api.runtime.database] in try await database.waitUntilDurable() }))
        OperationsRoutes().register(on: router, api)
        WebhookRoutes().register(on: router, api)  // Tableau's deliveries: the path's secret authenticates
        Console(api: api).register(on: router)  // the web console at / (docs/console.md)
        let group = router.group("api/v1").add(middleware: BearerAuthMiddleware(tokens: api.tokens, caches: api.caches))
        for routes in apiRoutes { routes.register(on: group, api) }
        index.set(router.routes.map { (method: $0.method.rawValue, path: $0.path.description) })
        return router
    }

    /// The application listening on `host`:`port` (0 picks a free port); `onRunning` receives
    /// the bound port. `runService()` serves until SIGTERM or SIGINT, then shuts down gracefully.
    /// `limits` bounds how long clients may take and how many connections they may hold.
    package func application(
        host: String, port: Int, services: [any Service] = [], limits: ConnectionLimits = ConnectionLimits(),
        onRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        let perAddress = ConnectionsPerAddress(limit: limits.maxConnectionsPerAddress)
        return Application(
            router: router(),
            server: .http1(
                configuration: .init(additionalChannelHandlers: [
                    ConnectionsPerAddressHandler(registry: perAddress), RequestDeadlineHandler(limits: limits),
                ])),
            configuration: ApplicationConfiguration(
                address: .hostname(host, port: port), serverName: "Freshet",
                availableConnectionsDelegate: MaximumAvailableConnections(limits.maxConnections)),
            services: services,
            onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? port) },
            logger: logger
        )
    }
}
