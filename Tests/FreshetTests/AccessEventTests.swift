import Foundation
import Freshet
import Testing

/// DESIGN.md's provisioning rules, idempotency and audit, against an in-memory Tableau site.
@Suite struct AccessEventTests {
    @Test func grantSetsTheGrantedRoleFoundByEmail() async throws {
        let fixture = try await AccessFixture()
        let gateway = FakeAccessGateway()
        let result = try await fixture.service.handle(fixture.event(.granted, "vic@example.com", "Explorer"), actor: "token:idm", gateway: gateway)
        #expect(result.record.status == .applied && !result.repeated)
        #expect(result.record.previousRole == "Viewer" && result.record.newRole == "Explorer" && result.record.userId == "u-vic")
        #expect(gateway.role(of: "u-vic") == "Explorer" && gateway.roleChanges == 1)
        let audit = try #require(await fixture.store.events(AuditQuery(action: "access.")).first)
        #expect(audit.action == "access.granted" && audit.actor == "token:idm" && audit.outcome == "success")
        #expect(audit.details["status"] == "applied" && audit.details["connection"] == "prod")
    }

    @Test func grantOfTheCurrentRoleChangesNothing() async throws {
        let fixture = try await AccessFixture()
        let gateway = FakeAccessGateway()
        let result = try await fixture.service.handle(fixture.event(.granted, "ana", "Creator"), actor: "a", gateway: gateway)
        #expect(result.record.status == .unchanged && gateway.roleChanges == 0)
    }

    @Test func revokeOfTheMatchingRoleSetsUnlicensed() async throws {
        let fixture = try await AccessFixture()
        let gateway = FakeAccessGateway()
        let result = try await fixture.service.handle(fixture.event(.revoked, "ana", "Creator"), actor: "a", gateway: gateway)
        #expect(result.record.status == .applied && result.record.newRole == "Unlicensed")
        #expect(gateway.role(of: "u-ana") == "Unlicensed")
    }

    @Test func revokeOfANonMatchingRoleChangesNothingAndSaysWhy() async throws {
        let fixture = try await AccessFixture()
        let gateway = FakeAccessGateway()
        let result = try await fixture.service.handle(fixture.event(.revoked, "ana@example.com", "Viewer"), actor: "a", gateway: gateway)
        #expect(result.record.status == .unchanged && gateway.roleChanges == 0 && gateway.role(of: "u-ana") == "Creator")
        #expect(result.record.message.contains("stale or secondary grant"))
        #expect(result.record.message.contains("Creator"))
        let stored = try #require(try await fixture.service.recordedEvent(connection: "prod", eventId: result.record.eventId))
        #expect(stored.status == .unchanged && stored.message == result.record.message)
    }

    @Test func unknownUserIsRefusedAskingForAFirstSignInAndNeverCreated() async throws {
        let fixture = try await AccessFixture()
        let gateway = FakeAccessGateway()
        let result = try await fixture.service.handle(fixture.event(.granted, "stranger@example.com", "Viewer"), actor: "a", gateway: gateway)
        #expect(result.record.status == .refused && gateway.roleChanges == 0)
        #expect(result.record.message.contains("sign in to Tableau once"))
        #expect(result.record.message == AccessError.userNotOnSite("stranger@example.com").description)
        let audit = try #require(await fixture.store.events(AuditQuery(action: "access.granted")).first)
        #expect(audit.outcome == "failure")
        let revoked = try await fixture.service.handle(fixture.event(.revoked, "stranger@example.com", "Viewer"), actor: "a", gateway: gateway)
        #expect(revoked.record.status == .unchanged)
    }

    @Test(arguments: ["Admin", "viewer", "Unlicensed", "ServerAdministrator", "Publisher"])
    func unknownRoleIsRefusedWithTheValidNamesWithoutAskingTableau(role: String) async throws {
        let fixture = try await AccessFixture()
        let gateway = FakeAccessGateway()
        for type in AccessEventKind.allCases {
            let result = try await fixture.service.handle(fixture.event(type, "ana", role), actor: "a", gateway: gateway)
            #expect(result.record.status == .refused)
            #expect(
                result.record.message
                    == "\"\(role)\" is not a site role Freshet can grant or revoke. Valid roles: Viewer, Explorer, ExplorerCanPublish, Creator, SiteAdministratorExplorer, SiteAdministratorCreator."
            )
        }
        #expect(gateway.lookups == 0 && gateway.roleChanges == 0)
    }

    @Test func aRepeatedEventIdReturnsTheFirstOutcomeWithoutTouchingTableau() async throws {
        let fixture = try await AccessFixture()
        let gateway = FakeAccessGateway()
        let first = try await fixture.service.handle(fixture.event(.granted, "vic", "Creator", id: "evt-1"), actor: "a", gateway: gateway)
        let lookups = gateway.lookups
        // Same id, different content: still the first outcome.
        let again = try await fixture.service.handle(fixture.event(.revoked, "vic", "Creator", id: "evt-1"), actor: "b", gateway: gateway)
        #expect(again.repeated && again.record == first.record)
        #expect(gateway.lookups == lookups && gateway.roleChanges == 1 && gateway.role(of: "u-vic") == "Creator")
        let audits = await fixture.store.events(AuditQuery(action: "access."))
        #expect(audits.count == 2 && audits[0].details["repeated"] == "true")
    }

    @Test func concurrentDuplicateDeliveriesMakeOneTableauChange() async throws {
        let fixture = try await AccessFixture()
        let gateway = FakeAccessGateway()
        let results = try await withThrowingTaskGroup(of: AccessEventResult.self) { group in
            for _ in 0..<20 {
                group.addTask { try await fixture.service.handle(fixture.event(.granted, "vic", "Explorer", id: "dup"), actor: "a", gateway: gateway) }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(gateway.roleChanges == 1)
        #expect(results.filter { !$0.repeated }.count == 1)
        #expect(results.allSatisfy { $0.record.status == .applied || $0.record.status == .pending })
        #expect(await fixture.events.accessEvents(AccessEventQuery()).count == 1)
    }

    @Test func aNonAdministratorPATIsRefusedWithTheHealthCheckMessage() async throws {
        let fixture = try await AccessFixture()
        let gateway = FakeAccessGateway(failure: FakeAccessGateway.forbidden)
        let result = try await fixture.service.handle(fixture.event(.granted, "ana", "Viewer"), actor: "a", gateway: gateway)
        #expect(result.record.status == .refused && result.record.message == HealthChecker.usersForbidden)
        await #expect(throws: AccessError.notSiteAdministrator(tableau: FakeAccessGateway.forbidden.message)) {
            _ = try await fixture.service.users(UserListQuery(), gateway: gateway)
        }
        do {
            _ = try await fixture.service.setSiteRole(connection: "prod", user: "ana", role: "Viewer", actor: "a", gateway: gateway)
            Issue.record("expected a refusal")
        } catch let error as AccessError {
            #expect(error.description == HealthChecker.usersForbidden && error.isRefusal)
        }
    }

    @Test func anUnreachableTableauFailsAndARedeliveryTriesAgain() async throws {
        let fixture = try await AccessFixture()
        let down = FakeAccessGateway(failure: GatewayError(message: "could not reach Tableau at tableau.example.com", isTransient: true, isUnreachable: true))
        let first = try await fixture.service.handle(fixture.event(.granted, "vic", "Explorer", id: "evt-retry"), actor: "a", gateway: down)
        #expect(first.record.status == .failed && first.record.message.contains("could not reach Tableau"))
        let up = FakeAccessGateway()
        let second = try await fixture.service.handle(fixture.event(.granted, "vic", "Explorer", id: "evt-retry"), actor: "a", gateway: up)
        #expect(!second.repeated && second.record.status == .applied && up.roleChanges == 1)
    }

    @Test func incompleteEventsAndUnknownConnectionsAreNotRecorded() async throws {
        let fixture = try await AccessFixture()
        let gateway = FakeAccessGateway()
        await #expect(throws: AccessError.invalidRequest("The access event needs an eventId")) {
            _ = try await fixture.service.handle(fixture.event(.granted, "vic", "Viewer", id: " "), actor: "a", gateway: gateway)
        }
        await #expect(throws: AccessError.connectionNotFound("nope")) {
            _ = try await fixture.service.handle(AccessEvent(eventId: "e", type: .granted, connection: "nope", user: "vic", role: "Viewer"), actor: "a", gateway: gateway)
        }
        #expect(await fixture.events.accessEvents(AccessEventQuery()).isEmpty)
    }

    @Test func eventsDecodeFromTheDocumentedJSON() throws {
        let json = #"{"eventId":"e-1","type":"revoked","connection":"prod","user":"ana@example.com","role":"Creator"}"#
        let event = try JSONDecoder().decode(AccessEvent.self, from: Data(json.utf8))
        #expect(event == AccessEvent(eventId: "e-1", type: .revoked, connection: "prod", user: "ana@example.com", role: "Creator"))
    }
}
