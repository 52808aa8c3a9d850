import Foundation
import Freshet
import Hummingbird

/// `/tokens`: list, create (the token's text is shown once, on the page that created it) and
/// revoke API tokens. Admin tokens only, as `/api/v1/tokens`.
struct TokenPages {
    let console: Console
    var api: FreshetAPI { console.api }

    func register(on router: RouterGroup<FreshetRequestContext>) {
        router.get("tokens") { request, context in
            try await api.authorize(.manageTokens, request, context)
            return try await page(request, context, created: nil, errors: [:], form: FormData(""))
        }
        router.post("tokens") { request, context in
            let caller = try await api.authorize(.manageTokens, request, context)
            let form = try await FormData.read(request)
            _ = try console.checkCSRF(request, form)
            let scopes = Set(form.all("scope").compactMap(TokenScope.init(named:)))
            func patterns(_ name: String) -> [GlobPattern] {
                (form[name] ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }.map(GlobPattern.init)
            }
            let allowList = TokenAllowList(
                connections: patterns("connections"), projects: patterns("projects"), workbooks: patterns("workbooks"),
                datasources: patterns("datasources"))
            var expiry: Date?
            if let text = form.text("expiresIn") {
                guard let seconds = TokenExpiry.seconds(text) else {
                    return try await page(request, context, created: nil, errors: ["expiresIn": "Expiry must look like 90m, 12h, 30d or 8w"], form: form, status: .unprocessableContent)
                }
                expiry = api.now().addingTimeInterval(seconds)
            }
            do {
                let (token, secret) = try await api.tokens.create(
                    name: form["name"] ?? "", scopes: scopes, isAdmin: form["admin"] == "yes", allowList: allowList, expiresAt: expiry, actor: caller.actor)
                return try await page(request, context, created: (token.name, secret), errors: [:], form: FormData(""), status: .created)
            } catch let error as ValidationError {
                return try await page(request, context, created: nil, errors: [error.field ?? "name": error.message], form: form, status: .unprocessableContent)
            }
        }
        router.post("tokens/{token}/revoke") { request, context in
            let caller = try await api.authorize(.manageTokens, request, context)
            _ = try console.checkCSRF(request, try await FormData.read(request))
            let revoked = try await api.tokens.revoke(try context.parameters.decoded("token"), actor: caller.actor)
            api.caches.tokens.removeAll()
            return Console.redirect("/tokens?revoked=" + FormData.encode(revoked.name))
        }
    }

    private func page(
        _ request: Request, _ context: FreshetRequestContext, created: (name: String, secret: String)?, errors: [String: String], form: FormData,
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let tokens: [[String: Any]] = try await api.tokens.list().map { token in
            var row: [String: Any] = [
                "id": token.id, "name": token.name, "hint": token.hint, "scopes": token.isAdmin ? "admin (everything)" : token.scopes.joined(separator: ", "),
                "allow": Self.describe(token.allowList), "created": RunRowModel.timestamp(token.createdAt), "createdBy": token.createdBy,
                "expires": token.expiresAt.map(RunRowModel.timestamp) ?? "never", "path": "/tokens/" + FormData.encode(token.id),
            ]
            if let revoked = token.revokedAt { row["revoked"] = RunRowModel.timestamp(revoked) }
            return row
        }
        let chosen = Set(form.all("scope"))
        var model: [String: Any] = [
            "tokens": tokens, "csrf": console.session(request)?.csrf ?? "",
            "scopes": TokenScope.allCases.map { ["value": $0.rawValue, "id": "scope-" + $0.rawValue.replacingOccurrences(of: ":", with: "-"), "checked": chosen.contains($0.rawValue)] },
            "name": form["name"] ?? "", "connections": form["connections"] ?? "", "projects": form["projects"] ?? "",
            "workbooks": form["workbooks"] ?? "", "datasources": form["datasources"] ?? "", "expiresIn": form["expiresIn"] ?? "",
            "admin": form["admin"] == "yes",
        ]
        for (field, message) in errors { model["error_" + field] = message }
        if let created { model["created"] = ["name": created.name, "secret": created.secret] }
        if let revoked = request.uri.queryParameters["revoked"] { model["notice"] = "Token \(revoked) revoked: it is refused from now on." }
        var response = console.page("tokens", title: "API tokens", model: model, request: request, context: context, status: status, current: "/tokens")
        response.headers[.cacheControl] = "no-store"
        return response
    }

    static func describe(_ list: TokenAllowList) -> String {
        var parts: [String] = []
        if !list.connections.isEmpty { parts.append("connections " + list.connections.map(\.description).joined(separator: ", ")) }
        if !list.projects.isEmpty { parts.append("projects " + list.projects.map(\.description).joined(separator: ", ")) }
        if !list.workbooks.isEmpty { parts.append("workbooks " + list.workbooks.map(\.description).joined(separator: ", ")) }
        if !list.datasources.isEmpty { parts.append("data sources " + list.datasources.map(\.description).joined(separator: ", ")) }
        return parts.isEmpty ? "—" : parts.joined(separator: "; ")
    }
}
