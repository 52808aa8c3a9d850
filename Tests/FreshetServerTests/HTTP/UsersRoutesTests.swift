import Foundation
import Freshet
import FreshetServer
import Hummingbird
import HummingbirdTesting
import Testing

/// `/api/v1/connections/{connection}/users`: paged and filtered lists, look-ups by name or
/// email, site-role changes, and a non-administrator PAT.
@Suite struct UsersRoutesTests {
    typealias F = AccessHTTPFixture

    @Test func usersArePagedWithTableausPagingAndFiltered() async throws {
        try await F.test { fixture, client in
            let token = try await fixture.token("reader", [.read])
            let first = try await client.call(.get, "/api/v1/connections/demo/users?pageSize=3", token: token)
            #expect(first.status == .ok, "\(first.text)")
            #expect((first.object["users"] as? [Any])?.count == 3)
            let paging = try #require(first.object["paging"] as? [String: Any])
            #expect(paging["pageNumber"] as? Int == 1 && paging["pageSize"] as? Int == 3 && paging["totalAvailable"] as? Int == 4)
            let second = try await client.call(.get, "/api/v1/connections/demo/users?pageSize=3&pageNumber=2", token: token)
            #expect((second.object["users"] as? [Any])?.count == 1 && (second.object["paging"] as? [String: Any])?["pageNumber"] as? Int == 2)
            let viewers = try await client.call(.get, "/api/v1/connections/demo/users?siteRole=Viewer", token: token)
            #expect((viewers.object["users"] as? [[String: Any]])?.map { $0["name"] as? String } == ["viewer@example.com"])
            let byEmail = try await client.call(.get, "/api/v1/connections/demo/users?email=analyst@example.com", token: token)
            #expect((byEmail.object["users"] as? [[String: Any]])?.map { $0["siteRole"] as? String } == ["Creator"])
            #expect(try await client.call(.get, "/api/v1/connections/demo/users?pageSize=0", token: token).object["field"] as? String == "pageSize")
            #expect(try await client.call(.get, "/api/v1/connections/demo/users?role=Viewer", token: token).object["field"] as? String == "role")
            #expect(try await client.call(.get, "/api/v1/connections/nope/users", token: token).status == .notFound)
        }
    }

    @Test func aUserIsFoundByNameOrEmailAndAnUnknownOneIs404() async throws {
        try await F.test { fixture, client in
            let token = try await fixture.token("reader", [.read])
            let user = try await client.call(.get, "/api/v1/connections/demo/users/new.hire%40example.com", token: token)
            #expect(user.status == .ok && user.object["siteRole"] as? String == "Unlicensed" && user.object["fullName"] as? String == "Nia New")
            let missing = try await client.call(.get, "/api/v1/connections/demo/users/nobody@example.com", token: token)
            #expect(missing.status == .notFound && (missing.object["detail"] as? String)?.contains("sign in to Tableau once") == true)
        }
    }

    @Test func aSiteRoleIsSetAndAudited() async throws {
        try await F.test { fixture, client in
            let token = try await fixture.token("ops", [.usersAdmin])
            let path = "/api/v1/connections/demo/users/new.hire@example.com/site-role"
            let changed = try await client.call(.put, path, token: token, body: #"{"siteRole":"Viewer"}"#)
            #expect(changed.status == .ok, "\(changed.text)")
            #expect(changed.object["changed"] as? Bool == true && changed.object["previousRole"] as? String == "Unlicensed")
            #expect((changed.object["user"] as? [String: Any])?["siteRole"] as? String == "Viewer")
            let same = try await client.call(.put, path, token: token, body: #"{"siteRole":"Viewer"}"#)
            #expect(same.status == .ok && same.object["changed"] as? Bool == false)
            let invalid = try await client.call(.put, path, token: token, body: #"{"siteRole":"Owner"}"#)
            #expect(invalid.status == .unprocessableContent && invalid.object["field"] as? String == "siteRole")
            #expect((invalid.object["detail"] as? String)?.contains("Unlicensed") == true)
            let unknown = try await client.call(.put, path, token: token, body: #"{"siteRole":"Viewer","notify":true}"#)
            #expect(unknown.status == .badRequest && unknown.object["field"] as? String == "notify")
            let nobody = try await client.call(.put, "/api/v1/connections/demo/users/nobody@example.com/site-role", token: token, body: #"{"siteRole":"Viewer"}"#)
            #expect(nobody.status == .notFound)
            let audit = try await fixture.runtime.store.events(AuditQuery(action: "users.site_role_set"))
            #expect(audit.count == 4 && audit.allSatisfy { $0.actor == "token:ops" })
            #expect(audit.last?.outcome == "success" && audit.last?.details["newRole"] == "Viewer")
        }
    }

    @Test func aNonAdministratorPATGetsTheHealthCheckMessage() async throws {
        try await F.test(pat: F.analystPAT) { fixture, client in
            let token = try await fixture.token("ops", [.read, .usersAdmin])
            let responses = [
                try await client.call(.get, "/api/v1/connections/demo/users", token: token),
                try await client.call(.get, "/api/v1/connections/demo/users/viewer@example.com", token: token),
                try await client.call(.put, "/api/v1/connections/demo/users/viewer@example.com/site-role", token: token, body: #"{"siteRole":"Explorer"}"#),
            ]
            for response in responses {
                #expect(response.status == .badGateway && response.isProblem, "\(response.text)")
                #expect(response.object["type"] as? String == "urn:freshet:problem:tableau-permission")
                #expect(response.object["detail"] as? String == HealthChecker.usersForbidden)
                #expect((response.object["tableau"] as? [String: Any])?["httpStatus"] as? Int == 403)
            }
            #expect(fixture.roleChanges == 0)
        }
    }
}
