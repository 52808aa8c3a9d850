import Foundation
import Freshet
import FreshetServer
import Hummingbird
import HummingbirdTesting
import Testing

/// Every `/api/v1` route with every scope: only the documented scope (or an admin token) gets
/// through; every refusal is a 403 naming the scope and is audited.
@Suite struct HTTPScopeTests {
    struct Route: Sendable, CustomStringConvertible {
        var method: HTTPRequest.Method
        var path: String
        var body: String?
        /// nil: admin token only.
        var scope: TokenScope?
        var description: String { "\(method) \(path)" }
    }

    static let routes: [Route] = [
        Route(method: .get, path: "/api/v1/connections", scope: .read),
        Route(method: .post, path: "/api/v1/connections", body: #"{"name":"new","serverUrl":"https://t.example.com","patName":"p","patSecret":"secret-value-1"}"#, scope: .connectionsAdmin),
        Route(method: .get, path: "/api/v1/connections/prod", scope: .read),
        Route(method: .patch, path: "/api/v1/connections/prod", body: #"{"siteContentUrl":"finance"}"#, scope: .connectionsAdmin),
        Route(method: .delete, path: "/api/v1/connections/prod", scope: .connectionsAdmin),
        Route(method: .post, path: "/api/v1/connections/missing/check", scope: .connectionsAdmin),
        Route(method: .get, path: "/api/v1/audit", scope: .auditRead),
        Route(method: .get, path: "/api/v1/tokens", scope: nil),
        Route(method: .post, path: "/api/v1/tokens", body: #"{"name":"made","scopes":["read"]}"#, scope: nil),
        Route(method: .delete, path: "/api/v1/tokens/victim", scope: nil),
    ]

    @Test(arguments: routes)
    func onlyTheRightScopeGetsThrough(route: Route) async throws {
        try await HTTPFixture.test { fixture, client in
            let allButOne = try await fixture.token("all-but", Set(TokenScope.allCases).subtracting(route.scope.map { [$0] } ?? []), allow: .everything)
            let refused = try await client.call(route.method, route.path, token: allButOne, body: route.body)
            #expect(refused.status == .forbidden, "\(route)")
            #expect(refused.isProblem)
            #expect(refused.object["missingScope"] as? String == route.scope?.rawValue)
            let detail = refused.object["detail"] as? String ?? ""
            #expect(detail.contains(route.scope.map { "\"\($0.rawValue)\"" } ?? "admin token"), "\(detail)")
            let denied = try await fixture.runtime.store.events(AuditQuery(action: "api.denied"))
            #expect(denied.count == 1 && denied.first?.actor == "token:all-but" && denied.first?.outcome == "failure")
            #expect(denied.first?.details["path"] == route.path)

            _ = try await fixture.addConnection("prod")
            _ = try await fixture.token("victim", [.read])
            var allowedToken = fixture.adminToken
            if let scope = route.scope { allowedToken = try await fixture.token("exact", [scope]) }
            let allowed = try await client.call(route.method, route.path, token: allowedToken, body: route.body)
            #expect(allowed.status != .forbidden && allowed.status != .unauthorized, "\(route): \(allowed.text)")
            #expect(allowed.status.code < 500, "\(route): \(allowed.text)")
        }
    }
}
