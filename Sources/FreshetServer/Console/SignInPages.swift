import Foundation
import Freshet
import HTTPTypes
import Hummingbird

/// `/sign-in` (paste an API token, get a session cookie), `/sign-out`, and `/`.
struct SignInPages {
    let console: Console

    struct Model {
        var csrf: String
        var next: String
        var message: String?
    }

    func register(on router: RouterGroup<FreshetRequestContext>) {
        router.get("sign-in") { request, context in
            let csrf = ConsoleSessionSealer.randomToken()
            let next = Self.localPath(request.uri.queryParameters["next"].map(String.init)) ?? "/"
            var response = console.page("sign-in", title: "Sign in", model: Model(csrf: csrf, next: next), request: request, context: context)
            response.setCookie(Self.cookie(ConsoleSession.signInCookieName, csrf, maxAge: 3600, request: request))
            return response
        }
        router.post("sign-in") { request, context in
            let form = try await FormData.read(request)
            guard let expected = request.cookies[ConsoleSession.signInCookieName]?.value,
                ConsoleSessionSealer.constantTimeEqual(form["_csrf"] ?? "", expected)
            else { throw ConsoleError.csrfRejected }
            let next = Self.localPath(form["next"]) ?? "/"
            let token: APIToken
            do {
                token = try await console.api.tokens.authenticate(form["token"] ?? "")
            } catch let failure as AuthenticationFailure {
                try await console.api.audit.append(
                    AuditEvent(time: console.api.now(), actor: "console", action: "console.signin", target: "console", outcome: "failure",
                               details: ["reason": failure.description]))
                let message = failure == .missing ? "Paste an API token to sign in." : failure.description
                var response = console.page(
                    "sign-in", title: "Sign in", model: Model(csrf: expected, next: next, message: message), request: request, context: context,
                    status: .unauthorized)
                response.headers[.cacheControl] = "no-store"
                return response
            }
            let now = console.api.now()
            var expiry = now.addingTimeInterval(ConsoleSession.lifetime)
            if let tokenExpiry = token.expiresAt { expiry = min(expiry, tokenExpiry) }
            let session = ConsoleSession(token: form["token"]!.trimmingCharacters(in: .whitespaces), expires: expiry.timeIntervalSince1970, csrf: ConsoleSessionSealer.randomToken())
            try await console.api.audit.append(
                AuditEvent(time: now, actor: token.actor, action: "console.signin", target: "console", outcome: "success"))
            var response = Console.redirect(next)
            response.setCookie(Self.cookie(ConsoleSession.cookieName, try console.sealer.seal(session), maxAge: Int(expiry.timeIntervalSince(now)), request: request))
            response.setCookie(Self.expiredCookie(ConsoleSession.signInCookieName, request: request))
            return response
        }
    }

    func registerSignedIn(on router: RouterGroup<FreshetRequestContext>) {
        router.get("/") { _, _ in Console.redirect("/runs") }
        router.post("sign-out") { request, context in
            let form = try await FormData.read(request)
            _ = try console.checkCSRF(request, form)
            if let token = context.token {
                try await console.api.audit.append(
                    AuditEvent(time: console.api.now(), actor: token.actor, action: "console.signout", target: "console", outcome: "success"))
            }
            var response = Console.redirect("/sign-in")
            response.setCookie(Self.expiredCookie(ConsoleSession.cookieName, request: request))
            return response
        }
    }

    /// Where to go to sign in, coming back to `next` afterwards.
    static func signInURL(next: String?) -> String {
        guard let next = localPath(next), next != "/" else { return "/sign-in" }
        return "/sign-in?next=" + FormData.encode(next)
    }

    /// `path` when it is a path on this server (not `//host` or a URL), else nil.
    static func localPath(_ path: String?) -> String? {
        guard let path, path.hasPrefix("/"), !path.hasPrefix("//"), !path.contains("\\"), !path.contains("://") else { return nil }
        return path
    }

    /// Whether the request came over https (directly or through a proxy that says so).
    static func isHTTPS(_ request: Request) -> Bool {
        request.uri.scheme?.rawValue == "https" || request.headers[HTTPField.Name("X-Forwarded-Proto")!]?.lowercased() == "https"
    }

    /// An HttpOnly, SameSite=Strict cookie for the whole console; Secure on https.
    static func cookie(_ name: String, _ value: String, maxAge: Int, request: Request) -> Cookie {
        Cookie(name: name, value: value, maxAge: max(0, maxAge), path: "/", secure: isHTTPS(request), httpOnly: true, sameSite: .strict)
    }

    /// A cookie that removes `name`.
    static func expiredCookie(_ name: String, request: Request) -> Cookie {
        Cookie(name: name, value: "", expires: Date(timeIntervalSince1970: 0), maxAge: 0, path: "/", secure: isHTTPS(request), httpOnly: true, sameSite: .strict)
    }
}
