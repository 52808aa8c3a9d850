import Foundation
import Freshet
import FreshetServer
import Hummingbird
import HummingbirdTesting
import TableauEmulator
import Testing

/// `POST /api/v1/access-events` over HTTP with a `users:admin` token: every provisioning rule,
/// the answers' status codes, idempotency and the audit trail.
@Suite struct AccessEventRoutesTests {
    typealias F = AccessHTTPFixture

    @Test func aGrantIsAppliedAndARepeatIsAnsweredFromTheRecord() async throws {
        try await F.test { fixture, client in
            let token = try await fixture.token("idm", [.usersAdmin])
            let body = F.event("granted", "viewer@example.com", "ExplorerCanPublish", id: "grant-1")
            let first = try await client.call(.post, "/api/v1/access-events", token: token, body: body)
            #expect(first.status == .ok, "\(first.text)")
            #expect(first.object["status"] as? String == "applied" && first.object["repeated"] as? Bool == false)
            #expect(first.object["previousRole"] as? String == "Viewer" && first.object["newRole"] as? String == "ExplorerCanPublish")
            #expect(first.object["actor"] as? String == "token:idm")
            let again = try await client.call(.post, "/api/v1/access-events", token: token, body: body)
            #expect(again.status == .ok && again.object["repeated"] as? Bool == true && again.object["status"] as? String == "applied")
            #expect(fixture.roleChanges == 1)
            let audit = try await fixture.runtime.store.events(AuditQuery(action: "access.granted"))
            #expect(audit.count == 2 && audit.allSatisfy { $0.actor == "token:idm" && $0.target == "viewer@example.com" })
            #expect(audit.first?.details["repeated"] == "true")
        }
    }

    @Test func aGrantOfTheCurrentRoleChangesNothing() async throws {
        try await F.test { fixture, client in
            let token = try await fixture.token("idm", [.usersAdmin])
            let response = try await client.call(.post, "/api/v1/access-events", token: token, body: F.event("granted", "analyst@example.com", "Creator"))
            #expect(response.status == .ok && response.object["status"] as? String == "unchanged")
            #expect(fixture.roleChanges == 0)
        }
    }

    @Test func aRevokeOfTheCurrentRoleUnlicensesAndAnyOtherRoleChangesNothing() async throws {
        try await F.test { fixture, client in
            let token = try await fixture.token("idm", [.usersAdmin])
            let stale = try await client.call(.post, "/api/v1/access-events", token: token, body: F.event("revoked", "analyst@example.com", "Viewer"))
            #expect(stale.status == .ok && stale.object["status"] as? String == "unchanged")
            #expect((stale.object["message"] as? String)?.contains("stale or secondary grant") == true)
            #expect(fixture.roleChanges == 0)
            let matching = try await client.call(.post, "/api/v1/access-events", token: token, body: F.event("revoked", "viewer@example.com", "Viewer"))
            #expect(matching.status == .ok && matching.object["status"] as? String == "applied" && matching.object["newRole"] as? String == "Unlicensed")
            #expect(fixture.emulator.state.recordedRequests().allSatisfy { $0.method != "DELETE" })
        }
    }

    @Test func anUnknownUserIsRefusedWith422AndNeverCreated() async throws {
        try await F.test { fixture, client in
            let token = try await fixture.token("idm", [.usersAdmin])
            let response = try await client.call(.post, "/api/v1/access-events", token: token, body: F.event("granted", "first.timer@example.com", "Viewer"))
            #expect(response.status == .unprocessableContent && response.isProblem)
            #expect(response.object["type"] as? String == "urn:freshet:problem:access-event-refused")
            #expect((response.object["detail"] as? String)?.contains("sign in to Tableau once") == true)
            #expect(response.event["status"] as? String == "refused" && response.event["repeated"] as? Bool == false)
            #expect(fixture.emulator.state.recordedRequests().allSatisfy { !($0.method == "POST" && $0.path.hasSuffix("/users")) })
        }
    }

    @Test func anUnknownRoleIsRefusedWithTheValidRolesAndTableauIsNotAsked() async throws {
        try await F.test { fixture, client in
            let token = try await fixture.token("idm", [.usersAdmin])
            let response = try await client.call(.post, "/api/v1/access-events", token: token, body: F.event("granted", "viewer@example.com", "SuperUser"))
            #expect(response.status == .unprocessableContent)
            #expect((response.object["detail"] as? String)?.hasSuffix(
                "Valid roles: Viewer, Explorer, ExplorerCanPublish, Creator, SiteAdministratorExplorer, SiteAdministratorCreator.") == true)
            #expect(fixture.roleChanges == 0)
            let audit = try #require(try await fixture.runtime.store.events(AuditQuery(action: "access.granted")).first)
            #expect(audit.outcome == "failure" && audit.details["status"] == "refused")
        }
    }

    @Test func aNonAdministratorPATIsRefusedWithTheHealthCheckMessage() async throws {
        try await F.test(pat: F.analystPAT) { fixture, client in
            let token = try await fixture.token("idm", [.usersAdmin])
            let response = try await client.call(.post, "/api/v1/access-events", token: token, body: F.event("granted", "viewer@example.com", "Explorer"))
            #expect(response.status == .unprocessableContent)
            #expect(response.object["detail"] as? String == HealthChecker.usersForbidden)
            #expect(fixture.roleChanges == 0)
        }
    }

    @Test func aDeliveryInProgressIs409AndATransientFailureIs503() async throws {
        try await F.test { fixture, client in
            let token = try await fixture.token("idm", [.usersAdmin])
            let connection = try #require(try await fixture.runtime.store.connection(named: "demo")).connection
            let now = Date()
            let pending = AccessEventRecord(
                connectionId: connection.id, connectionName: "demo", eventId: "busy-1", type: .granted, user: "viewer@example.com",
                role: "Explorer", actor: "token:other", receivedAt: now)
            _ = try await fixture.runtime.store.claimAccessEvent(pending, holder: "other", claimUntil: now + 300, now: now)
            let busy = try await client.call(.post, "/api/v1/access-events", token: token, body: F.event("granted", "viewer@example.com", "Explorer", id: "busy-1"))
            #expect(busy.status == .conflict && busy.headers[.retryAfter] != nil)
            #expect(busy.event["status"] as? String == "pending" && busy.event["repeated"] as? Bool == true)

            // Tableau answers 503 to every role change (the client's retries included): failed, 503 with Tableau's words.
            fixture.emulator.state.setFaults(FaultSettings(failNext: [ScriptedFault(status: 503, count: 20, pathContains: "/users/", method: "PUT")]))
            let body = F.event("granted", "viewer@example.com", "Explorer", id: "down-1")
            let down = try await client.call(.post, "/api/v1/access-events", token: token, body: body)
            #expect(down.status == .serviceUnavailable && down.headers[.retryAfter] != nil, "\(down.text)")
            #expect(down.event["status"] as? String == "failed" && (down.object["detail"] as? String)?.contains("503") == true)
            // The same event id again retries it.
            fixture.emulator.state.setFaults(FaultSettings())
            let retried = try await client.call(.post, "/api/v1/access-events", token: token, body: body)
            #expect(retried.status == .ok && retried.object["status"] as? String == "applied", "\(retried.text)")
        }
    }

    @Test func theBodyIsStrict() async throws {
        try await F.test { fixture, client in
            let token = try await fixture.token("idm", [.usersAdmin])
            let extra = #"{"eventId":"e","type":"granted","connection":"demo","user":"u","role":"Viewer","force":true}"#
            let unknown = try await client.call(.post, "/api/v1/access-events", token: token, body: extra)
            #expect(unknown.status == .badRequest && unknown.object["field"] as? String == "force")
            let type = try await client.call(.post, "/api/v1/access-events", token: token, body: F.event("promoted", "u", "Viewer"))
            #expect(type.status == .badRequest && type.object["field"] as? String == "type")
            let missing = try await client.call(.post, "/api/v1/access-events", token: token, body: #"{"eventId":"e","type":"granted","connection":"demo","role":"Viewer"}"#)
            #expect(missing.status == .badRequest && missing.object["field"] as? String == "user")
            let empty = try await client.call(.post, "/api/v1/access-events", token: token, body: F.event("granted", " ", "Viewer"))
            #expect(empty.status == .badRequest && empty.object["field"] as? String == "user")
            let noConnection = try await client.call(.post, "/api/v1/access-events", token: token, body: F.event("granted", "u", "Viewer", connection: "nope"))
            #expect(noConnection.status == .notFound)
            #expect(try await fixture.runtime.accessEvents().isEmpty)
        }
    }

    @Test func recordedEventsAreListedFilteredAndLimited() async throws {
        try await F.test { fixture, client in
            let token = try await fixture.token("idm", [.usersAdmin])
            for (user, role) in [("viewer@example.com", "Explorer"), ("analyst@example.com", "Creator"), ("viewer@example.com", "Creator")] {
                _ = try await client.call(.post, "/api/v1/access-events", token: token, body: F.event("granted", user, role))
            }
            let all = try await client.call(.get, "/api/v1/access-events?connection=demo", token: token)
            #expect((all.object["events"] as? [[String: Any]])?.count == 3)
            let viewer = try await client.call(.get, "/api/v1/access-events?user=viewer@example.com&limit=1", token: token)
            let events = try #require(viewer.object["events"] as? [[String: Any]])
            #expect(events.count == 1 && events.first?["user"] as? String == "viewer@example.com" && events.first?["role"] as? String == "Creator")
            #expect(try await client.call(.get, "/api/v1/access-events?limit=0", token: token).object["field"] as? String == "limit")
            #expect(try await client.call(.get, "/api/v1/access-events?status=x", token: token).object["field"] as? String == "status")
            #expect(try await client.call(.get, "/api/v1/access-events?connection=nope", token: token).status == .notFound)
        }
    }
}
