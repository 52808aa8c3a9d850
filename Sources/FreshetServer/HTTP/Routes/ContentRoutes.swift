import Freshet
import Hummingbird

/// `/api/v1/connections/{connection}/content/…`, `…/server-info` and `…/session`: content
/// browsing through the connection's shared session, with Tableau's paging carried through
/// (collections: 1-based `pageNumber`; search: 0-based `page`, as Tableau counts them). Scope `read`.
struct ContentRoutes: APIRouteCollection {
    func register(on api: RouterGroup<FreshetRequestContext>, _ server: FreshetAPI) {
        api.get("connections/{connection}/content/collections") { request, context in
            let (connection, actor) = try await authorize(request, context, server)
            let query = try RouteQuery(request.uri.queryParameters, known: ["pageNumber", "pageSize"])
            let number = try query.integer("pageNumber", in: 1...Int(Int32.max), default: 1)
            let size = try query.integer("pageSize", in: 1...1000, default: 100)
            return try server.json(
                try await AccessProblems.mapping {
                    try await server.runtime.collections(connection: connection, pageNumber: number, pageSize: size, actor: actor)
                })
        }
        api.get("connections/{connection}/content/search") { request, context in
            let (connection, actor) = try await authorize(request, context, server)
            let query = try RouteQuery(request.uri.queryParameters, known: ["q", "types", "page", "limit"])
            let search = ContentSearchQuery(
                terms: query.text("q") ?? "", types: query.list("types"), page: try query.integer("page", in: 0...Int(Int32.max), default: 0),
                limit: try query.integer("limit", in: 1...2000, default: 10))
            return try server.json(
                try await AccessProblems.mapping { try await server.runtime.searchContent(connection: connection, query: search, actor: actor) })
        }
        for type in UsageContentType.allCases {
            api.get("connections/{connection}/content/\(type.rawValue)s/{id}/usage") { request, context in
                let (connection, actor) = try await authorize(request, context, server)
                let id = try context.parameters.decoded("id")
                return try server.json(
                    try await AccessProblems.mapping { try await server.runtime.usageStats(connection: connection, type: type, id: id, actor: actor) })
            }
        }
        api.get("connections/{connection}/server-info") { request, context in
            let (connection, actor) = try await authorize(request, context, server)
            return try server.json(try await AccessProblems.mapping { try await server.runtime.serverInfo(connection: connection, actor: actor) })
        }
        api.get("connections/{connection}/session") { request, context in
            let (connection, actor) = try await authorize(request, context, server)
            return try server.json(
                try await AccessProblems.mapping { try await server.runtime.currentSession(connection: connection, actor: actor) })
        }
    }

    /// The connection named in the path and the caller's actor, once `read` is checked.
    private func authorize(_ request: Request, _ context: FreshetRequestContext, _ server: FreshetAPI) async throws -> (String, String) {
        let token = try await server.authorize(.readConnections, request, context)
        return (try context.parameters.decoded("connection"), token.actor)
    }
}
