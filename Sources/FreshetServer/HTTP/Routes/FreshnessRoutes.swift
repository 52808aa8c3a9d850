import Foundation
import Freshet
import FreshetAPITypes
import Hummingbird

/// `GET /api/v1/freshness` (per item: last success, age, last failure, stale) and
/// `/api/v1/freshness/policies` (maximum ages per connection, project or item). Reading needs
/// `read` (or `refresh`: then only the items of the token's allow-list); changing policies needs
/// `connections:admin`.
struct FreshnessRoutes: APIRouteCollection {
    struct Page: Encodable {
        var items: [FreshnessView]
        var generatedAt: Date
    }

    struct Policies: Encodable {
        var policies: [FreshnessPolicyView]
    }

    func register(on api: RouterGroup<FreshetRequestContext>, _ server: FreshetAPI) {
        api.get("freshness") { request, context in
            let everything = try await RunAuthorization.authorizeReading(request, context, server)
            let token = try context.requireToken()
            let parameters = request.uri.queryParameters
            try Self.refuseUnknown(parameters, known: ["connection", "project", "stale"])
            var query = FreshnessQuery(projectName: Self.text(parameters, "project"))
            if let connection = Self.text(parameters, "connection") { query.connectionId = try await RunAuthorization.connection(connection, server).id }
            let items = try await Self.views(query, staleOnly: try Self.flag(parameters, "stale"), token: token, everything: everything, server)
            return try server.json(Page(items: items, generatedAt: server.now()))
        }
        api.get("freshness/policies") { request, context in
            try await server.authorize(.readRuns, request, context)
            let names = try await Self.connectionNames(server)
            let policies = try await server.runtime.store.freshnessPolicies()
            return try server.json(Policies(policies: policies.map { FreshnessPolicyView($0, connection: names[$0.scope.connectionId] ?? $0.scope.connectionId) }))
        }
        api.put("freshness/policies") { request, context in
            let token = try await server.authorize(.manageConnections, request, context)
            let body = try await request.decodeGenerated(Components.Schemas.FreshnessPolicySet.self)
            if body.item?.isEmpty == true { throw ProblemDocument.badRequest("\"item\" must name an item (its name or Tableau id).", field: "item") }
            let policy = try await Self.answering { try await server.freshnessPolicies.set(body.target, maxAgeSeconds: body.maxAgeSeconds, actor: token.actor) }
            let names = try await Self.connectionNames(server)
            return try server.json(FreshnessPolicyView(policy, connection: names[policy.scope.connectionId] ?? policy.scope.connectionId))
        }
        api.delete("freshness/policies") { request, context in
            let token = try await server.authorize(.manageConnections, request, context)
            let parameters = request.uri.queryParameters
            try Self.refuseUnknown(parameters, known: ["connection", "project", "itemType", "item"])
            guard let connection = Self.text(parameters, "connection") else {
                throw ProblemDocument.badRequest("Query parameter \"connection\" is required.", field: "connection")
            }
            let target = FreshnessPolicyTarget(
                connection: connection, project: Self.text(parameters, "project"), itemType: Self.given(parameters, "itemType"), item: Self.text(parameters, "item"))
            guard try await Self.answering({ try await server.freshnessPolicies.remove(target, actor: token.actor) }) else {
                throw ProblemDocument.notFound("No freshness policy is set there.")
            }
            return try server.json(["removed": true])
        }
    }

    /// The freshness of the items `query` selects (only stale ones with `staleOnly`) that
    /// `token` may read — every item when `everything` — as `GET /api/v1/freshness` and the
    /// console's `/freshness` page show them.
    static func views(_ query: FreshnessQuery, staleOnly: Bool, token: APIToken, everything: Bool, _ server: FreshetAPI) async throws -> [FreshnessView] {
        let names = try await connectionNames(server)
        var items: [FreshnessView] = []
        for status in try await server.freshnessMonitor.report(query) where !staleOnly || status.isStale {
            if !everything, !Authorizer.decide(token, .readRun(content(of: status.record, names)), now: server.now()).isAllowed { continue }
            items.append(FreshnessView(status, connection: names[status.record.connectionId] ?? status.record.connectionId))
        }
        return items
    }

    /// Runs `work`, turning a ``FreshnessPolicyError`` into a 400 or 404 problem.
    static func answering<T>(_ work: () async throws -> T) async throws -> T {
        do { return try await work() } catch let error as FreshnessPolicyError {
            throw error.isNotFound ? ProblemDocument.notFound(error.description + ".") : ProblemDocument.badRequest(error.description + ".")
        }
    }

    /// Connection names by id.
    static func connectionNames(_ server: FreshetAPI) async throws -> [String: String] {
        Dictionary(try await server.runtime.store.connections().map { ($0.connection.id, $0.connection.name) }, uniquingKeysWith: { first, _ in first })
    }

    /// What `record` is, as allow-lists see it.
    static func content(of record: ItemFreshness, _ names: [String: String]) -> RefreshContent {
        RefreshContent(
            connection: ContentName(id: record.connectionId, name: names[record.connectionId] ?? record.connectionId),
            kind: record.item.contentType == .workbook ? .workbook : .datasource, item: ContentName(id: record.item.tableauId, name: record.item.name),
            project: record.projectName.map { ContentName(name: $0) })
    }

    static func refuseUnknown(_ parameters: Parameters, known: Set<String>) throws {
        if let unknown = parameters.map({ String($0.key) }).sorted().first(where: { !known.contains($0) }) {
            throw ProblemDocument.badRequest("Unknown query parameter \"\(unknown)\".", field: unknown)
        }
    }

    /// A text parameter; given empty, absent.
    static func text(_ parameters: Parameters, _ name: String) -> String? {
        parameters[name[...]].map(String.init).flatMap { $0.isEmpty ? nil : $0 }
    }

    /// A parameter as given, empty included: an enum, number or flag given empty is refused,
    /// not taken as absent.
    static func given(_ parameters: Parameters, _ name: String) -> String? {
        parameters[name[...]].map(String.init)
    }

    static func flag(_ parameters: Parameters, _ name: String) throws -> Bool {
        switch given(parameters, name) {
        case nil, "false": return false
        case "true": return true
        default: throw ProblemDocument.badRequest("Query parameter \"\(name)\" must be true or false.", field: name)
        }
    }
}

extension Components.Schemas.FreshnessPolicySet {
    /// `PUT /api/v1/freshness/policies`: where (a connection, optionally a project or one item).
    var target: FreshnessPolicyTarget {
        FreshnessPolicyTarget(connection: connection, project: project, itemType: itemType?.rawValue, item: item)
    }
}
