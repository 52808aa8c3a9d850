import Foundation
import Freshet
import Hummingbird

/// `/refresh`: pick a connection, search its data sources and workbooks by name and project,
/// tick the ones to refresh and start runs, then watch them finish. Needs `refresh` (admin
/// tokens may do everything); only connections and items in the token's allow-list are offered,
/// and starting runs goes through the API's authorization (``RunAuthorization/submit``).
struct RefreshPages {
    static let itemLimit = 1000
    let console: Console
    var api: FreshetAPI { console.api }

    struct Model {
        struct Option {
            var name: String
            var selected: Bool
        }

        struct Item {
            var value: String
            var inputId: String
            var name: String
            var type: String
            var project: String?
            var live: Bool
        }

        var connections: [Option]
        var connection: String?
        var query: String
        var project: String
        var items: [Item]
        var searched: Bool
        var csrf: String
    }

    struct StartedModel {
        var runs: [RunRowModel]
        var live: [String]
        var joined: String?
    }

    func register(on router: RouterGroup<FreshetRequestContext>) {
        router.get("refresh") { request, context in
            let token = try await requireRefresh(request, context)
            let parameters = request.uri.queryParameters
            let connections = try await offeredConnections(token)
            let chosen = parameters["connection"].map(String.init).flatMap { $0.isEmpty ? nil : $0 } ?? (connections.count == 1 ? connections[0] : nil)
            let query = parameters["q"].map(String.init) ?? ""
            let project = parameters["project"].map(String.init) ?? ""
            var items: [Model.Item] = []
            if let chosen {
                let connection = try await RunAuthorization.requireRefreshScope(connection: chosen, request, context, api).connection
                items = try await self.items(on: chosen, connection: connection, token: token, query: query, project: project)
            }
            let model = Model(
                connections: connections.map { Model.Option(name: $0, selected: $0 == chosen) }, connection: chosen, query: query,
                project: project, items: items, searched: chosen != nil, csrf: console.session(request)?.csrf ?? "")
            return console.page("refresh", title: "Refresh", model: model, request: request, context: context, current: "/refresh")
        }
        router.post("refresh") { request, context in
            let form = try await FormData.read(request)
            _ = try console.checkCSRF(request, form)
            let connection = form.text("connection") ?? ""
            let (token, _) = try await RunAuthorization.requireRefreshScope(connection: connection, request, context, api)
            let targets = form.all("item").compactMap(Self.target)
            guard !targets.isEmpty else { throw ProblemDocument.invalid("Tick at least one data source or workbook to refresh.", field: "item") }
            let submission = try await RunAuthorization.submit(RefreshRequest(connection: connection, targets: targets), token: token, request, context, api)
            let names = try await ConnectionNames(api)
            let model = StartedModel(
                runs: submission.runs.map { RunRowModel($0.run, connectionName: names[$0.run.connectionId]) },
                live: submission.liveItems.map(\.item.name),
                joined: Self.joinedNote(submission.runs.filter { $0.disposition != .created }.count))
            return console.page("refresh-started", title: "Refreshing", model: model, request: request, context: context, current: "/refresh")
        }
    }

    /// The value of an item's checkbox: its type, project and name (a run then records the
    /// item's name and project, which allow-lists and people read).
    static func value(_ item: RefreshableItem) -> String {
        let kind = item.item.contentType == .workbook ? "workbook" : "datasource"
        return kind + ":" + FormData.encode(item.projectName ?? "") + ":" + FormData.encode(item.item.name)
    }

    /// The target a checkbox value names.
    static func target(_ value: String) -> RefreshTarget? {
        let parts = value.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false).map { $0.removingPercentEncoding ?? String($0) }
        guard parts.count == 3, !parts[2].isEmpty else { return nil }
        let project = parts[1].isEmpty ? nil : parts[1]
        return parts[0] == "workbook" ? .workbook(parts[2], project: project) : .datasource(parts[2], project: project)
    }

    static func joinedNote(_ count: Int) -> String? {
        count == 0 ? nil : count == 1 ? "One of these joined a refresh that was already running." : "\(count) of these joined refreshes that were already running."
    }

    private func requireRefresh(_ request: Request, _ context: FreshetRequestContext) async throws -> APIToken {
        try await RunAuthorization.requireRefreshScope(connection: nil, request, context, api).token
    }

    /// Connections the token may refresh something on, by name.
    private func offeredConnections(_ token: APIToken) async throws -> [String] {
        let connectionOnly = TokenAllowList(connections: token.allowList.connections, projects: [GlobPattern("*")])
        return try await api.runtime.store.connections().map(\.connection).filter { connection in
            token.isAdmin
                || Authorizer.allows(
                    connectionOnly,
                    RefreshContent(connection: ContentName(id: connection.id, name: connection.name), kind: .project, item: ContentName(name: "*")))
        }.map(\.name).sorted()
    }

    /// The data sources and workbooks of `name` matching the search that the token may refresh.
    private func items(on name: String, connection: ContentName?, token: APIToken, query: String, project: String) async throws -> [Model.Item] {
        guard let stored = try await api.runtime.store.connection(named: name) else { return [] }
        let gateway = ClientRefreshGateway(client: try await api.runtime.client(for: name, actor: token.actor))
        var found: [RefreshableItem] = []
        do throws(GatewayError) {
            found = try await gateway.items(.datasource, limit: Self.itemLimit) + gateway.items(.workbook, limit: Self.itemLimit)
        } catch {
            throw ProblemDocument("tableau", title: "Tableau error", status: 502, detail: error.message)
        }
        let now = api.now()
        return found.filter { item in
            (query.isEmpty || item.item.name.localizedCaseInsensitiveContains(query))
                && (project.isEmpty || (item.projectName ?? "").localizedCaseInsensitiveContains(project))
                && Authorizer.decide(token, .refresh(RunAuthorization.content(connection: stored.connection, item: item)), now: now).isAllowed
        }
        .sorted { ($0.item.name.lowercased(), $0.item.contentType.rawValue) < ($1.item.name.lowercased(), $1.item.contentType.rawValue) }
        .map { item in
            let kind = item.item.contentType == .workbook ? "workbook" : "datasource"
            return Model.Item(
                value: Self.value(item), inputId: "item-\(kind)-\(item.item.tableauId)", name: item.item.name,
                type: item.item.contentType == .workbook ? "Workbook" : "Data source", project: item.projectName, live: !item.hasExtracts)
        }
    }
}
