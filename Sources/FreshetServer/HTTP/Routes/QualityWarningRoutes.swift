import Foundation
import Freshet
import FreshetAPITypes
import Hummingbird

/// Data quality warnings: `PUT /api/v1/quality-warnings/connections/{connection}` turns them on or
/// off for a connection (`connections:admin`, audited); `GET /api/v1/quality-warnings` lists the
/// connections that opted in and the warnings Freshet set (`read`).
struct QualityWarningRoutes: APIRouteCollection {
    struct Listing: Encodable {
        var connections: [String]
        var warnings: [FreshetWarning]
    }

    struct Setting: Encodable {
        var connection: String
        var enabled: Bool
    }

    func register(on api: RouterGroup<FreshetRequestContext>, _ server: FreshetAPI) {
        api.get("quality-warnings") { request, context in
            try await server.authorize(.readRuns, request, context)
            let store = server.runtime.store
            let names = try await FreshnessRoutes.connectionNames(server)
            let enabled = try await store.warningConnections().map { names[$0] ?? $0 }.sorted()
            return try server.json(Listing(connections: enabled, warnings: try await store.freshetWarnings(connectionId: nil)))
        }
        api.put("quality-warnings/connections/:connection") { request, context in
            let token = try await server.authorize(.manageConnections, request, context)
            let connection = try await RunAuthorization.connection(try context.parameters.require("connection"), server)
            let body = try await request.decodeGenerated(Operations.PutApiV1QualityWarningsConnectionsConnection.Input.Body.JsonPayload.self)
            let id = connection.id ?? connection.name
            try await server.runtime.store.setWarnings(connectionId: id, enabled: body.enabled, actor: token.actor, now: server.now())
            try await server.audit.append(
                AuditEvent(
                    time: server.now(), actor: token.actor, action: body.enabled ? "warnings.enabled" : "warnings.disabled", target: connection.name,
                    outcome: "success"))
            return try server.json(Setting(connection: connection.name, enabled: body.enabled))
        }
    }
}
