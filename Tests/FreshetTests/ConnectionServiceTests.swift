import Foundation
import Testing
import Freshet

@Suite struct ConnectionServiceTests {
    func service() -> (ConnectionService, InMemoryStore) {
        let store = InMemoryStore()
        return (ConnectionService(store: store, sessions: store, audit: store, keyring: Keyring(current: .generate())), store)
    }

    let draft = ConnectionDraft(name: "prod", serverURL: "https://tableau.example.com/", siteContentUrl: "marketing", patName: "freshet-pat", patSecret: "pat-secret-value-WXYZ")

    @Test func addShowsTheSecretMaskedAndThePATNameInFull() async throws {
        let (service, store) = service()
        let view = try await service.add(draft, actor: "cli:test")
        #expect(view.secretMasked == "••••••••WXYZ" && view.patName == "freshet-pat" && view.serverURL == "https://tableau.example.com")
        let stored = try #require(await store.connection(named: "prod"))
        #expect(!stored.sealedSecret.contains("pat-secret-value"))
        let events = await store.events(AuditQuery(action: "connection."))
        #expect(events.map(\.action) == ["connection.created"])
        #expect(!events.description.contains("pat-secret-value"))
    }

    @Test func duplicateNamesAreRefused() async throws {
        let (service, _) = service()
        _ = try await service.add(draft, actor: "a")
        await #expect(throws: StoreError.duplicateName("prod")) { _ = try await service.add(draft, actor: "a") }
    }

    @Test func editAuditsFieldNamesOnlyAndDropsTheStaleSession() async throws {
        let (service, store) = service()
        let added = try await service.add(draft, actor: "a")
        try await store.save(StoredSession(connectionId: added.id, sealedToken: "t", siteId: "s", siteContentUrl: "marketing", userId: "u", apiVersion: "3.24", signedInAt: Date(), expiresAt: Date().addingTimeInterval(600)))
        let edited = try await service.edit(named: "prod", with: ConnectionDraft(name: "prod", siteContentUrl: "", patSecret: "new-secret-ABCD"), actor: "b")
        #expect(edited.siteContentUrl == "" && edited.displayName == "tableau.example.com · Default site")
        #expect(edited.secretMasked == "••••••••ABCD" && edited.patName == "freshet-pat")
        #expect(await store.session(connectionId: added.id) == nil)
        let event = try #require(await store.events(AuditQuery(action: "connection.edited")).first)
        #expect(event.details["fields"] == "siteContentUrl,patSecret" && event.actor == "b")
        #expect(!event.details.values.joined().contains("new-secret"))
    }

    @Test func removeAndUnknownNames() async throws {
        let (service, store) = service()
        _ = try await service.add(draft, actor: "a")
        try await service.remove(named: "prod", actor: "a")
        #expect(try await service.list().isEmpty)
        await #expect(throws: StoreError.notFound("prod")) { try await service.remove(named: "prod", actor: "a") }
        #expect(await store.events(AuditQuery()).map(\.action) == ["connection.removed", "connection.created"])
    }

    @Test func checksAreAudited() async throws {
        let (service, store) = service()
        _ = try await service.add(draft, actor: "a")
        let results = try await service.check(named: "prod", gateway: FakeGateway(users: .failure(GatewayError(status: 403, message: "forbidden"))), actor: "a")
        #expect(results.filter { !$0.passed }.map(\.check) == [.userManagementScope])
        let event = try #require(await store.events(AuditQuery(action: "connection.checked")).first)
        #expect(event.outcome == "failure" && event.details["userManagementScope"] == "failed")
    }
}
