import Foundation
import Freshet
package import Hummingbird

/// The web console served at `/` by `freshet serve`: server-rendered pages over the same
/// services and authorization as `/api/v1` (docs/console.md).
///
/// ```swift
/// Console(api: api).register(on: router)
/// ```
package struct Console: Sendable {
    let api: FreshetAPI
    let sealer: ConsoleSessionSealer
    let renderer: ConsoleRenderer

    package init(api: FreshetAPI) {
        self.api = api
        sealer = ConsoleSessionSealer(keyring: api.runtime.keyring)
        renderer = ConsoleRenderer.shared
    }

    /// Mounts the console's pages, forms and assets on `router` (outside `/api/v1`).
    package func register(on router: Router<FreshetRequestContext>) {
        let open = router.group().add(middleware: ConsoleMiddleware(console: self, requireSession: false))
        ConsoleAssets.register(on: open)
        SignInPages(console: self).register(on: open)
        let pages = router.group().add(middleware: ConsoleMiddleware(console: self, requireSession: true))
        SignInPages(console: self).registerSignedIn(on: pages)
        ConnectionPages(console: self).register(on: pages)
        RunPages(console: self).register(on: pages)
        RefreshPages(console: self).register(on: pages)
        FreshnessPage(console: self).register(on: pages)
        AuditPages(console: self).register(on: pages)
        TokenPages(console: self).register(on: pages)
        AccessEventPages(console: self).register(on: pages)
    }

    /// The console's routes as "METHOD path" (HTML pages and forms, which the OpenAPI document
    /// of `/api/v1` leaves out).
    package static func routes(api: FreshetAPI) -> Set<String> {
        let router = Router(context: FreshetRequestContext.self)
        Console(api: api).register(on: router)
        return Set(router.routes.map { "\($0.method.rawValue) \($0.path.description)" })
    }

    /// The session of `request` (its cookie opened), or nil.
    func session(_ request: Request) -> ConsoleSession? {
        guard let cookie = request.cookies[ConsoleSession.cookieName] else { return nil }
        return sealer.open(cookie.value, now: api.now())
    }

    /// The session of a signed-in request, after checking that `form` carries its CSRF token.
    func checkCSRF(_ request: Request, _ form: FormData) throws -> ConsoleSession {
        guard let session = session(request) else { throw ConsoleError.signInRequired }
        guard ConsoleSessionSealer.constantTimeEqual(form["_csrf"] ?? "", session.csrf) else { throw ConsoleError.csrfRejected }
        return session
    }

    /// Whether `token` may do `action` (for showing links and buttons; the routes decide for real).
    func may(_ token: APIToken, _ action: TokenAction) -> Bool {
        Authorizer.decide(token, action, now: api.now()).isAllowed
    }

    /// A full page: `template` rendered with `model` inside the layout.
    func page(
        _ template: String, title: String, model: Any, request: Request, context: FreshetRequestContext, status: HTTPResponse.Status = .ok,
        current: String? = nil
    ) -> Response {
        let navigation = context.token.map { ConsoleNavigation(token: $0, csrf: session(request)?.csrf ?? "", current: current, console: self) }
        return renderer.page(template, title: title, model: model, navigation: navigation, status: status)
    }

    /// A 303 redirect to `location`.
    static func redirect(_ location: String) -> Response {
        Response(status: .seeOther, headers: [.location: location])
    }
}

/// The links of the header, by what the token may see.
struct ConsoleNavigation {
    struct Link {
        var href: String
        var label: String
        var current: Bool
    }

    var links: [Link]
    var csrf: String
    var tokenName: String

    init(token: APIToken, csrf: String, current: String?, console: Console) {
        var links: [(String, String)] = [("/runs", "Runs")]
        if console.may(token, .readRuns) || token.scopes.contains(.refresh) { links.append(("/freshness", "Freshness")) }
        if token.isAdmin || token.scopes.contains(.refresh) { links.append(("/refresh", "Refresh")) }
        if console.may(token, .readConnections) { links.append(("/connections", "Connections")) }
        if console.may(token, .readAudit) { links.append(("/audit", "Audit log")) }
        if console.may(token, .manageUsers) { links.append(("/access-events", "Access events")) }
        if console.may(token, .manageTokens) { links.append(("/tokens", "API tokens")) }
        self.links = links.map { Link(href: $0.0, label: $0.1, current: $0.0 == current) }
        self.csrf = csrf
        tokenName = token.name
    }
}
