import Foundation
import Freshet
import Hummingbird

/// `/connections`: the list (scope `read`), the "Configure Tableau" form to add (PAT or
/// connected app) and edit, delete with confirmation, and the five health checks
/// (`connections:admin`). Everything goes through ``ConnectionService`` and the API's authorizer.
struct ConnectionPages {
    let console: Console
    var api: FreshetAPI { console.api }
    var service: ConnectionService { console.api.runtime.connections }

    struct ListModel {
        struct Row {
            var view: ConnectionView
            var path: String
            var defaultSite: Bool
            /// "2026-12-20 (21 days left)", from the last sign-in's estimate.
            var expires: String?
            /// "every 7 days" or "off".
            var keepAlive: String

            init(view: ConnectionView, path: String, defaultSite: Bool, now: Date = Date()) {
                self.view = view
                self.path = path
                self.defaultSite = defaultSite
                keepAlive = view.keepAliveDays.map { "every \($0) day\($0 == 1 ? "" : "s")" } ?? "off"
                expires = view.tokenExpiresAt.map { date in
                    let days = Int((date.timeIntervalSince(now) / 86_400).rounded(.down))
                    let day = ISO8601DateFormatter.string(from: date, timeZone: TimeZone(identifier: "UTC")!, formatOptions: [.withFullDate])
                    return days < 0 ? "\(day) (expired)" : "\(day) (\(days) day\(days == 1 ? "" : "s") left)"
                }
            }
        }

        var connections: [Row]
        var canManage: Bool
        var csrf: String
        var notice: String?
    }

    struct DeleteModel {
        var view: ConnectionView
        var path: String
        var csrf: String
    }

    struct ChecksModel {
        struct Row {
            var title: String
            var passed: Bool
            var warning: Bool
            var message: String
            var tableau: String?
        }

        var name: String
        var path: String
        var passed: Bool
        var results: [Row]
        var csrf: String
    }

    func register(on router: RouterGroup<FreshetRequestContext>) {
        router.get("connections") { request, context in
            let token = try await api.authorize(.readConnections, request, context)
            let rows = try await service.list().map { ListModel.Row(view: $0, path: "/connections/" + FormData.encode($0.name), defaultSite: $0.siteContentUrl.isEmpty) }
            let notice = request.uri.queryParameters["saved"].map { "Connection \(String($0)) saved." }
                ?? request.uri.queryParameters["deleted"].map { "Connection \(String($0)) deleted." }
            let model = ListModel(
                connections: rows, canManage: console.may(token, .manageConnections), csrf: console.session(request)?.csrf ?? "", notice: notice)
            return console.page("connections", title: "Connections", model: model, request: request, context: context, current: "/connections")
        }
        router.get("connections/new") { request, context in
            try await api.authorize(.manageConnections, request, context)
            let form = ConnectionForm.new(connectedApp: request.uri.queryParameters["auth"] == "connected-app", csrf: csrf(request))
            return formPage(form, request, context)
        }
        router.post("connections") { request, context in
            let token = try await api.authorize(.manageConnections, request, context)
            let form = try await FormData.read(request)
            let session = try console.checkCSRF(request, form)
            let draft = ConnectionForm.draft(form)
            let connectedApp = form["auth"] == "connected-app"
            var problems = ConnectionForm.problems(draft)
            if problems.isEmpty {
                do {
                    let view = try await service.add(draft, actor: token.actor)
                    return Console.redirect("/connections?saved=" + FormData.encode(view.name))
                } catch let error as ValidationError {
                    problems[ConnectionForm.inputName(error.field) ?? "form"] = error.message
                } catch let error as StoreError where error.code == .conflict {
                    problems["name"] = "A connection named \(draft.name) already exists; give this one another name."
                }
            }
            let page = ConnectionForm.new(connectedApp: connectedApp, csrf: session.csrf, values: form, errors: problems)
            return formPage(page, request, context, status: .unprocessableContent)
        }
        router.get("connections/{connection}/edit") { request, context in
            try await api.authorize(.manageConnections, request, context)
            let view = try await service.show(named: try await name(context))
            return formPage(ConnectionForm.edit(view, csrf: csrf(request)), request, context, title: "Edit \(view.name)")
        }
        router.post("connections/{connection}") { request, context in
            let token = try await api.authorize(.manageConnections, request, context)
            let form = try await FormData.read(request)
            let session = try console.checkCSRF(request, form)
            let stored = try await service.show(named: try await name(context))
            let draft = ConnectionForm.editDraft(form, name: stored.name, connectedApp: stored.clientId != nil)
            do {
                _ = try await service.edit(named: stored.name, with: draft, actor: token.actor)
                api.caches.connections.removeAll()
                return Console.redirect("/connections?saved=" + FormData.encode(stored.name))
            } catch let error as ValidationError {
                let errors = [ConnectionForm.inputName(error.field) ?? "form": error.message]
                let page = ConnectionForm.edit(stored, csrf: session.csrf, values: form, errors: errors)
                return formPage(page, request, context, title: "Edit \(stored.name)", status: .unprocessableContent)
            }
        }
        router.get("connections/{connection}/delete") { request, context in
            try await api.authorize(.manageConnections, request, context)
            let view = try await service.show(named: try await name(context))
            let model = DeleteModel(view: view, path: "/connections/" + FormData.encode(view.name), csrf: csrf(request))
            return console.page("connection-delete", title: "Delete \(view.name)?", model: model, request: request, context: context, current: "/connections")
        }
        router.post("connections/{connection}/delete") { request, context in
            let token = try await api.authorize(.manageConnections, request, context)
            _ = try console.checkCSRF(request, try await FormData.read(request))
            let name = try await name(context)
            if api.publicURL != nil { await WebhookRegistrar.removeWebhooks(ofConnectionNamed: name, api: api, logger: api.runtime.logger) }
            try await service.remove(named: name, actor: token.actor)
            api.caches.connections.removeAll()
            return Console.redirect("/connections?deleted=" + FormData.encode(name))
        }
        router.post("connections/{connection}/check") { request, context in
            let token = try await api.authorize(.manageConnections, request, context)
            let session = try console.checkCSRF(request, try await FormData.read(request))
            let name = try await name(context)
            let results = try await api.runtime.check(name, actor: token.actor, metrics: api.metrics.engine)
            let model = ChecksModel(
                name: name, path: "/connections/" + FormData.encode(name), passed: results.allSatisfy(\.passed),
                results: results.map { ChecksModel.Row(title: $0.check.title, passed: $0.passed, warning: $0.warning, message: $0.message, tableau: $0.tableauError) },
                csrf: session.csrf)
            return console.page("connection-checks", title: "Health checks: \(name)", model: model, request: request, context: context, current: "/connections")
        }
    }

    private func csrf(_ request: Request) -> String {
        console.session(request)?.csrf ?? ""
    }

    private func formPage(
        _ form: ConnectionForm, _ request: Request, _ context: FreshetRequestContext, title: String = "Configure Tableau",
        status: HTTPResponse.Status = .ok
    ) -> Response {
        console.page("connection-form", title: title, model: form, request: request, context: context, status: status, current: "/connections")
    }

    /// The stored name of the connection the path names (by name or id); 404 when there is none.
    private func name(_ context: FreshetRequestContext) async throws -> String {
        try await RunAuthorization.connection(try context.parameters.decoded("connection"), api).name
    }
}
