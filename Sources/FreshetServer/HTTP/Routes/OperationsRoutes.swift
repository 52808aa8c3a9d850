import Foundation
import Hummingbird

/// `/health`, `/ready`, `/metrics` and `/api/v1/openapi.yaml`: open to every caller (no token),
/// for load balancers, orchestrators and Prometheus.
struct OperationsRoutes {
    struct Health: Encodable {
        var status: String
        var schemaVersion: String?
    }

    func register(on router: Router<FreshetRequestContext>, _ server: FreshetAPI) {
        router.get("health") { _, _ in
            try server.json(Health(status: "up"))
        }
        router.get("ready") { _, _ in
            let database = server.runtime.database
            let migrated: Bool
            do {
                migrated = try await database.isMigrated()
            } catch {
                throw ProblemDocument.unavailable("The database cannot be read.")
            }
            guard migrated else { throw ProblemDocument.unavailable("The database is not migrated to this build's schema.") }
            if server.storage.isFailing {
                // A write failed since the last one that succeeded: ready again only once a write succeeds.
                do {
                    try await database.probeWrite()
                    server.storage.recordSuccess()
                } catch {
                    throw ProblemDocument.unavailable("The database cannot be written (the server log has the cause).")
                }
            }
            return try server.json(Health(status: "ready", schemaVersion: try await database.schemaVersionName()))
        }
        router.get("metrics") { _, _ in
            // The queue depth counts runs not yet ended in any process sharing the database.
            await server.updateQueueDepth()
            await server.updateTokenExpiry()
            return Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: server.metrics.render() + (await server.freshnessExposition()))))
        }
        router.get("api/v1/openapi.yaml") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "application/yaml; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: OpenAPIDocument.yaml)))
        }
    }
}
