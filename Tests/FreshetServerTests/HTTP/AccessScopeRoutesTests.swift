import Foundation
import Freshet
import FreshetServer
import Hummingbird
import HummingbirdTesting
import TableauEmulator
import Testing

/// Every access, user, content and pass-through route with every scope: only the documented
/// scope (or an admin token) gets through; every refusal is a 403 naming it, audited as api.denied.
@Suite struct AccessScopeRoutesTests {
    struct Route: Sendable, CustomStringConvertible {
        var method: HTTPRequest.Method
        var path: String
        var body: String?
        var scope: TokenScope
        var description: String { "\(method) \(path)" }
    }

    static let routes: [Route] = [
        Route(method: .post, path: "/api/v1/access-events", body: AccessHTTPFixture.event("granted", "viewer@example.com", "Explorer"), scope: .usersAdmin),
        Route(method: .get, path: "/api/v1/access-events", scope: .usersAdmin),
        Route(method: .get, path: "/api/v1/connections/demo/users", scope: .read),
        Route(method: .get, path: "/api/v1/connections/demo/users/viewer@example.com", scope: .read),
        Route(method: .put, path: "/api/v1/connections/demo/users/viewer@example.com/site-role", body: #"{"siteRole":"Explorer"}"#, scope: .usersAdmin),
        Route(method: .get, path: "/api/v1/connections/demo/content/collections", scope: .read),
        Route(method: .get, path: "/api/v1/connections/demo/content/search?q=sales", scope: .read),
        Route(method: .get, path: "/api/v1/connections/demo/content/workbooks/x/usage", scope: .read),
        Route(method: .get, path: "/api/v1/connections/demo/content/datasources/x/usage", scope: .read),
        Route(method: .get, path: "/api/v1/connections/demo/server-info", scope: .read),
        Route(method: .get, path: "/api/v1/connections/demo/session", scope: .read),
        Route(method: .post, path: "/api/v1/connections/demo/tableau", body: #"{"method":"GET","path":"serverinfo"}"#, scope: .tableauPassthrough),
    ]

    @Test(arguments: routes)
    func onlyTheRightScopeGetsThrough(route: Route) async throws {
        try await AccessHTTPFixture.test { fixture, client in
            let others = try await fixture.token("all-but", Set(TokenScope.allCases).subtracting([route.scope]))
            let refused = try await client.call(route.method, route.path, token: others, body: route.body)
            #expect(refused.status == .forbidden && refused.isProblem, "\(route): \(refused.text)")
            #expect(refused.object["missingScope"] as? String == route.scope.rawValue)
            #expect((refused.object["detail"] as? String)?.contains("\"\(route.scope.rawValue)\"") == true)
            let denied = try await fixture.runtime.store.events(AuditQuery(action: "api.denied"))
            #expect(denied.count == 1 && denied.first?.actor == "token:all-but" && denied.first?.details["missingScope"] == route.scope.rawValue)
            // Nothing reached Tableau, nothing was recorded.
            #expect(fixture.emulator.state.recordedRequests().isEmpty)
            #expect(try await fixture.runtime.accessEvents().isEmpty)

            for token in [try await fixture.token("exact", [route.scope]), fixture.http.adminToken] {
                let allowed = try await client.call(route.method, route.path, token: token, body: route.body)
                #expect(allowed.status != .forbidden && allowed.status != .unauthorized, "\(route): \(allowed.text)")
                #expect(allowed.status.code < 500 || allowed.status == .badGateway, "\(route): \(allowed.text)")
            }
        }
    }
}
