import Freshet
import Hummingbird

/// `/api/v1/connections/{connection}/users`: a connection's site users, through its shared
/// session. Listing and looking up need `read`; changing a site role needs `users:admin`. All
/// need the connection's PAT to be a site administrator: otherwise 502 `tableau-permission`
/// with the health check's message.
struct UserRoutes: APIRouteCollection {
    static let maxPageSize = 1000

    func register(on api: RouterGroup<FreshetRequestContext>, _ server: FreshetAPI) {
        api.get("connections/{connection}/users") { request, context in
            let token = try await server.authorize(.readConnections, request, context)
            let query = try RouteQuery(request.uri.queryParameters, known: ["name", "email", "siteRole", "pageNumber", "pageSize"])
            let users = UserListQuery(
                pageNumber: try query.integer("pageNumber", in: 1...Int(Int32.max), default: 1),
                pageSize: try query.integer("pageSize", in: 1...Self.maxPageSize, default: 100),
                name: query.text("name"), email: query.text("email"), siteRole: query.text("siteRole"))
            let connection = try context.parameters.decoded("connection")
            return try server.json(
                try await AccessProblems.mapping { try await server.runtime.users(connection: connection, query: users, actor: token.actor) })
        }
        api.get("connections/{connection}/users/{user}") { request, context in
            let token = try await server.authorize(.readConnections, request, context)
            let connection = try context.parameters.decoded("connection")
            let identity = try context.parameters.decoded("user")
            return try server.json(
                try await AccessProblems.mapping { try await server.runtime.user(connection: connection, identity: identity, actor: token.actor) })
        }
        api.put("connections/{connection}/users/{user}/site-role") { request, context in
            let token = try await server.authorize(.manageUsers, request, context)
            let connection = try context.parameters.decoded("connection")
            let identity = try context.parameters.decoded("user")
            let body = try await request.decodeStrict(SiteRoleBody.self)
            let change = try await AccessProblems.mapping(field: "siteRole") {
                try await server.runtime.setSiteRole(connection: connection, user: identity, role: body.siteRole, actor: token.actor)
            }
            return try server.json(change)
        }
    }
}
