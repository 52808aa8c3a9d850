import Foundation
import Freshet
import Testing

/// User management through the engine: look-ups by name or email, paging, role changes.
@Suite struct AccessUsersTests {
    @Test func lookUpByNameOrEmail() async throws {
        let fixture = try await AccessFixture()
        let gateway = FakeAccessGateway()
        #expect(try await fixture.service.user("ana", gateway: gateway).id == "u-ana")
        #expect(try await fixture.service.user("ana@example.com", gateway: gateway).id == "u-ana")
        await #expect(throws: AccessError.userNotOnSite("zed@example.com")) { _ = try await fixture.service.user("zed@example.com", gateway: gateway) }
    }

    @Test func pagingIsCarriedThrough() async throws {
        let fixture = try await AccessFixture()
        let page = try await fixture.service.users(UserListQuery(pageNumber: 2, pageSize: 3), gateway: FakeAccessGateway())
        #expect(page.users.map(\.id) == ["u-new"] && page.paging == Paging(pageNumber: 2, pageSize: 3, totalAvailable: 4) && !page.paging.hasMore)
    }

    @Test func setRoleIsAuditedAndAcceptsUnlicensed() async throws {
        let fixture = try await AccessFixture()
        let gateway = FakeAccessGateway()
        let change = try await fixture.service.setSiteRole(connection: "prod", user: "vic@example.com", role: "Unlicensed", actor: "cli:me", gateway: gateway)
        #expect(change.changed && change.previousRole == "Viewer" && change.user.siteRole == "Unlicensed")
        let event = try #require(await fixture.store.events(AuditQuery(action: "users.site_role_set")).first)
        #expect(event.actor == "cli:me" && event.target == "vic" && event.details["newRole"] == "Unlicensed")
        await #expect(throws: AccessError.invalidRole("Boss", allowed: AccessService.settableRoles)) {
            _ = try await fixture.service.setSiteRole(connection: "prod", user: "vic", role: "Boss", actor: "a", gateway: gateway)
        }
        #expect(await fixture.store.events(AuditQuery(action: "users.site_role_set", outcome: "failure")).count == 1)
    }
}
