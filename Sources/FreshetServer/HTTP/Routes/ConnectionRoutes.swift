import Freshet
import Hummingbird

/// `/api/v1/connections`: list, create, get, edit, delete and check connections, with the
/// CLI's semantics and masking (``ConnectionService``). Reading needs `read`; changing and
/// checking need `connections:admin`.
struct ConnectionRoutes: APIRouteCollection {
    func register(on api: RouterGroup<FreshetRequestContext>, _ server: FreshetAPI) {
        let service = server.runtime.connections
        api.get("connections") { request, context in
            try await server.authorize(.readConnections, request, context)
            return try server.json(ConnectionList(connections: try await service.list()))
        }
        api.post("connections") { request, context in
            let token = try await server.authorize(.manageConnections, request, context)
            let body = try await request.decodeStrict(CreateConnectionBody.self)
            let view = try await ConnectionFields.validating { try await service.add(body.draft, actor: token.actor) }
            return try server.json(view, status: .created, headers: [.location: "/api/v1/connections/\(view.id)"])
        }
        api.get("connections/{connection}") { request, context in
            try await server.authorize(.readConnections, request, context)
            return try server.json(try await service.show(named: try await name(context, server)))
        }
        api.patch("connections/{connection}") { request, context in
            let token = try await server.authorize(.manageConnections, request, context)
            let name = try await name(context, server)
            let body = try await request.decodeStrict(EditConnectionBody.self)
            let stored = try await service.show(named: name)
            let edited = try await ConnectionFields.validating {
                try await service.edit(named: name, with: body.draft(name: name, storedSite: stored.siteContentUrl), actor: token.actor)
            }
            return try server.json(edited)
        }
        api.delete("connections/{connection}") { request, context in
            let token = try await server.authorize(.manageConnections, request, context)
            let name = try await name(context, server)
            if server.publicURL != nil { await WebhookRegistrar.removeWebhooks(ofConnectionNamed: name, api: server, logger: server.runtime.logger) }
            try await service.remove(named: name, actor: token.actor)
            server.caches.connections.removeAll()  // this process forgets the connection at once
            return Response(status: .noContent)
        }
        api.post("connections/{connection}/check") { request, context in
            let token = try await server.authorize(.manageConnections, request, context)
            let name = try await name(context, server)
            let results = try await server.runtime.check(name, actor: token.actor, metrics: server.metrics.engine)
            return try server.json(CheckReport(connection: name, passed: results.allSatisfy(\.passed), results: results))
        }
    }

    /// The name of the connection the path names by name or by id; 404 when there is none.
    private func name(_ context: FreshetRequestContext, _ server: FreshetAPI) async throws -> String {
        let key = try context.parameters.decoded("connection")
        if let stored = try await server.runtime.store.connection(named: key) { return stored.connection.name }
        if let stored = try await server.runtime.store.connection(id: key) { return stored.connection.name }
        throw ProblemDocument.notFound("No connection named or with id \"\(key)\".")
    }
}
