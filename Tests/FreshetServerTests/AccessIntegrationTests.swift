import Foundation
import Freshet
import FreshetServer
import Testing
import TableauEmulator

/// The access-event rules end to end: SQLite store, TableauClient over real sockets, emulator.
@Suite struct AccessIntegrationTests {
    /// Runs `body` with the demo emulator and a runtime holding the "demo" (administrator) connection.
    func withDemo<T: Sendable>(_ body: @Sendable (RunningEmulator, FreshetRuntime, DemoDataDirectory) async throws -> T) async throws -> T {
        let data = DemoDataDirectory()
        defer { data.remove() }
        return try await withEmulator(seed: try DemoSeed.seed()) { emulator in
            try await body(emulator, try await data.addDemoConnection(emulator), data)
        }
    }

    func event(_ type: AccessEventKind, _ user: String, _ role: String, id: String = UUID().uuidString) -> AccessEvent {
        AccessEvent(eventId: id, type: type, connection: "demo", user: user, role: role)
    }

    static func roleChanges(_ emulator: RunningEmulator) -> Int {
        emulator.state.recordedRequests().filter { $0.method == "PUT" && $0.path.contains("/users/") }.count
    }

    @Test func grantSetsTheRoleOfAnExistingUser() async throws {
        try await withDemo { emulator, runtime, _ in
            let result = try await runtime.handleAccessEvent(event(.granted, "viewer@example.com", "ExplorerCanPublish"), actor: "token:idm")
            #expect(result.record.status == .applied && result.record.previousRole == "Viewer" && result.record.newRole == "ExplorerCanPublish")
            #expect(try await runtime.user(connection: "demo", identity: "viewer@example.com", actor: "t").siteRole == "ExplorerCanPublish")
            let audit = try #require(try await runtime.store.events(AuditQuery(action: "access.granted")).first)
            #expect(audit.actor == "token:idm" && audit.outcome == "success" && audit.target == "viewer@example.com")
        }
    }

    @Test func revokeOfTheCurrentRoleSetsUnlicensedAndKeepsTheUser() async throws {
        try await withDemo { emulator, runtime, _ in
            let result = try await runtime.handleAccessEvent(event(.revoked, "viewer@example.com", "Viewer"), actor: "t")
            #expect(result.record.status == .applied && result.record.newRole == "Unlicensed")
            #expect(try await runtime.user(connection: "demo", identity: "viewer@example.com", actor: "t").siteRole == "Unlicensed")
            #expect(emulator.state.recordedRequests().allSatisfy { $0.method != "DELETE" })
        }
    }

    @Test func revokeOfAnotherRoleChangesNothingAndRecordsWhy() async throws {
        try await withDemo { emulator, runtime, _ in
            let result = try await runtime.handleAccessEvent(event(.revoked, "analyst@example.com", "Viewer", id: "stale-1"), actor: "t")
            #expect(result.record.status == .unchanged && result.record.message.contains("stale or secondary grant"))
            #expect(Self.roleChanges(emulator) == 0)
            let recorded = try #require(try await runtime.accessEvents(connection: "demo").first)
            #expect(recorded.eventId == "stale-1" && recorded.status == .unchanged && recorded.message == result.record.message)
        }
    }

    @Test func anUnknownUserIsRefusedAndNeverCreated() async throws {
        try await withDemo { emulator, runtime, _ in
            let result = try await runtime.handleAccessEvent(event(.granted, "first.timer@example.com", "Viewer"), actor: "t")
            #expect(result.record.status == .refused && result.record.message.contains("sign in to Tableau once"))
            #expect(emulator.state.recordedRequests().allSatisfy { !($0.method == "POST" && $0.path.hasSuffix("/users")) })
            #expect(try await runtime.users(connection: "demo", actor: "t").paging.totalAvailable == 4)
        }
    }

    @Test func anUnknownRoleIsRefusedWithTheValidNames() async throws {
        try await withDemo { emulator, runtime, _ in
            let result = try await runtime.handleAccessEvent(event(.granted, "viewer@example.com", "SuperUser"), actor: "t")
            #expect(result.record.status == .refused && result.record.message.hasSuffix(
                "Valid roles: Viewer, Explorer, ExplorerCanPublish, Creator, SiteAdministratorExplorer, SiteAdministratorCreator."))
            #expect(Self.roleChanges(emulator) == 0)
        }
    }

    @Test func aRepeatedEventIdIsAnsweredFromTheRecord() async throws {
        try await withDemo { emulator, runtime, _ in
            let first = try await runtime.handleAccessEvent(event(.granted, "viewer@example.com", "Creator", id: "evt-9"), actor: "t")
            let requests = emulator.state.recordedRequests().count
            let again = try await runtime.handleAccessEvent(event(.granted, "viewer@example.com", "Creator", id: "evt-9"), actor: "t")
            #expect(again.repeated && again.record == first.record)
            #expect(emulator.state.recordedRequests().count == requests)
        }
    }

    @Test func concurrentDuplicateDeliveriesFromSeveralProcessesChangeTableauOnce() async throws {
        try await withDemo { emulator, _, data in
            let results = try await withThrowingTaskGroup(of: AccessEventResult.self) { group in
                for _ in 0..<8 {
                    group.addTask {
                        // Each delivery opens its own database handle, as a separate process would.
                        try await data.runtime().handleAccessEvent(event(.granted, "viewer@example.com", "Explorer", id: "dup-1"), actor: "t")
                    }
                }
                return try await group.reduce(into: [AccessEventResult]()) { $0.append($1) }
            }
            #expect(results.filter { !$0.repeated }.count == 1)
            #expect(Self.roleChanges(emulator) == 1)
        }
    }

    @Test func aNonAdministratorPATGetsTheHealthCheckMessage() async throws {
        let data = DemoDataDirectory()
        defer { data.remove() }
        try await withEmulator(seed: try DemoSeed.seed()) { emulator in
            let runtime = try data.runtime()
            _ = try await runtime.connections.add(
                ConnectionDraft(name: "demo", serverURL: emulator.baseURL, patName: "freshet-analyst", patSecret: "demo-analyst-pat-secret"), actor: "t"
            )
            let result = try await runtime.handleAccessEvent(event(.granted, "viewer@example.com", "Explorer"), actor: "t")
            #expect(result.record.status == .refused && result.record.message == HealthChecker.usersForbidden)
            await #expect(throws: AccessError.self) { _ = try await runtime.users(connection: "demo", actor: "t") }
            do {
                _ = try await runtime.setSiteRole(connection: "demo", user: "viewer@example.com", role: "Explorer", actor: "t")
                Issue.record("a non-administrator changed a role")
            } catch let error as AccessError {
                #expect(error.description == HealthChecker.usersForbidden)
            }
        }
    }

    @Test func signedDeliveriesAreCheckedWithTheConfiguredSecret() async throws {
        let data = DemoDataDirectory()
        defer { data.remove() }
        let runtime = try data.runtime()
        let secret = "0123456789abcdef-shared"
        let environment = [FreshetRuntime.accessEventSecretVariable: secret]
        let body = Array(#"{"eventId":"e","type":"granted","connection":"demo","user":"x","role":"Viewer"}"#.utf8)
        let now = Date(timeIntervalSince1970: 1_900_000_000)
        let signature = AccessEventSignature.sign(body: body, timestamp: 1_900_000_000, secret: secret)
        try runtime.verifyAccessEventSignature(body: body, timestamp: "1900000000", signature: signature, now: now, environment: environment)
        #expect(throws: SignatureError.mismatch) {
            try runtime.verifyAccessEventSignature(body: body, timestamp: "1900000000", signature: signature, now: now, environment: [FreshetRuntime.accessEventSecretVariable: secret + "!"])
        }
        #expect(throws: SignatureError.expired(ageSeconds: 600)) {
            try runtime.verifyAccessEventSignature(body: body, timestamp: "1900000000", signature: signature, now: now + 600, environment: environment)
        }
        #expect(throws: AccessError.self) {
            try runtime.verifyAccessEventSignature(body: body, timestamp: "1900000000", signature: signature, now: now, environment: [:])
        }
    }
}
