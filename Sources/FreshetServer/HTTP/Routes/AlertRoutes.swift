import Foundation
import Freshet
import FreshetAPITypes
import Hummingbird

/// `/api/v1/alerts/…`: alert routes (where alerts go) and the outbox's deliveries. Reading needs
/// `read`; adding and removing routes and re-queuing dead deliveries needs `connections:admin`.
struct AlertRoutes: APIRouteCollection {
    struct Routes: Encodable {
        var routes: [AlertRouteView]
    }

    struct Added: Encodable {
        var route: AlertRouteView
        /// The webhook's signing secret, shown this once (null for Slack routes).
        var secret: String?
    }

    struct Deliveries: Encodable {
        var deliveries: [AlertDeliveryView]
    }

    func register(on api: RouterGroup<FreshetRequestContext>, _ server: FreshetAPI) {
        api.get("alerts/routes") { request, context in
            try await server.authorize(.readRuns, request, context)
            return try server.json(Routes(routes: try await server.runtime.store.alertRoutes().map(AlertRouteView.init)))
        }
        api.post("alerts/routes") { request, context in
            let token = try await server.authorize(.manageConnections, request, context)
            let draft = try await request.decodeGenerated(Components.Schemas.AlertRouteCreate.self).draft
            let (route, secret) = try await Self.answering { try await server.alertRoutes.add(draft, actor: token.actor) }
            return try server.json(Added(route: AlertRouteView(route), secret: secret), status: .created)
        }
        api.delete("alerts/routes/:name") { request, context in
            let token = try await server.authorize(.manageConnections, request, context)
            let name = try context.parameters.require("name")
            try await Self.answering { try await server.alertRoutes.remove(name, actor: token.actor) }
            return try server.json(["removed": true])
        }
        api.get("alerts/deliveries") { request, context in
            try await server.authorize(.readRuns, request, context)
            let parameters = request.uri.queryParameters
            try FreshnessRoutes.refuseUnknown(parameters, known: ["status", "eventId", "limit"])
            var query = AlertDeliveryQuery(eventId: FreshnessRoutes.text(parameters, "eventId"))
            if let status = FreshnessRoutes.given(parameters, "status") {
                guard let parsed = AlertDelivery.Status(rawValue: status) else {
                    throw ProblemDocument.badRequest("Query parameter \"status\" must be pending, delivered or dead.", field: "status")
                }
                query.status = parsed
            }
            if let limit = FreshnessRoutes.given(parameters, "limit") {
                guard let number = Int(limit), (1...1000).contains(number) else {
                    throw ProblemDocument.badRequest("Query parameter \"limit\" must be an integer from 1 to 1000.", field: "limit")
                }
                query.limit = number
            }
            return try server.json(Deliveries(deliveries: try await server.runtime.store.alertDeliveries(query).map(AlertDeliveryView.init)))
        }
        api.post("alerts/deliveries/:id/retry") { request, context in
            let token = try await server.authorize(.manageConnections, request, context)
            let id = try context.parameters.require("id")
            try await Self.answering { try await server.alertRoutes.retry(id, actor: token.actor) }
            return try server.json(["requeued": true])
        }
    }

    /// Runs `work`, turning an ``AlertRouteError`` into a 400 or 404 problem and a taken name into 409.
    static func answering<T>(_ work: () async throws -> T) async throws -> T {
        do { return try await work() } catch let error as AlertRouteError {
            throw error.isNotFound ? ProblemDocument.notFound(error.description + ".") : ProblemDocument.badRequest(error.description + ".")
        } catch let error as StoreError where error.code == .conflict {
            throw ProblemDocument.conflict(error.description + ".")
        }
    }
}

extension Components.Schemas.AlertRouteCreate {
    /// `POST /api/v1/alerts/routes`: the route to add.
    var draft: AlertRouteDraft {
        let format: AlertRoute.Format =
            switch self.format {
            case .webhook: .webhook
            case .slack: .slack
            }
        return AlertRouteDraft(name: name, format: format, url: url, secret: secret, connection: connection, project: project, kinds: kinds ?? [])
    }
}
