import Foundation
import Freshet
import FreshetSQLite
import Testing

@Suite struct AuditStoreTests {
    private func event(_ action: String, target: String = "prod", actor: String = "cli:ann", outcome: String = "success", at ms: Int64)
        -> AuditEvent
    {
        AuditEvent(time: Fixtures.later(ms), actor: actor, action: action, target: target, outcome: outcome, details: ["n": "\(ms)"])
    }

    private func filled(_ store: any ConformingStore) async throws -> any ConformingStore {
        try await store.append(event("connection.created", at: 0))
        try await store.append(event("connection.edited", at: 1_000))
        try await store.append(event("tableau.signin", outcome: "failure", at: 2_000))
        try await store.append(event("connection.checked", target: "test", actor: "token:ci", at: 3_000))
        try await store.append(event("connectionless", at: 4_000))
        return store
    }

    @Test(arguments: StoreKind.all) func appendAssignsIncreasingSequencesAndRoundTrips(_ kind: StoreKind) async throws {
        let (store, cleanUp) = try await kind.make()
        defer { cleanUp() }
        let written = AuditEvent(
            sequence: 999, time: Fixtures.now, actor: "cli:ann", action: "connection.edited", target: "prod", outcome: "success",
            details: ["fields": "server,patSecret", "quote": "\"x\""])
        try await store.append(written)
        try await store.append(written)
        let read = try await store.events(AuditQuery())
        #expect(read.map(\.sequence) == [2, 1])
        var expected = written
        expected.sequence = 1
        #expect(read.last == expected)
    }

    @Test(arguments: StoreKind.all) func filtersAndOrdersNewestFirst(_ kind: StoreKind) async throws {
        let (empty, cleanUp) = try await kind.make()
        defer { cleanUp() }
        let store = try await filled(empty)
        let all = try await store.events(AuditQuery())
        #expect(all.map(\.action) == ["connectionless", "connection.checked", "tableau.signin", "connection.edited", "connection.created"])
        #expect(try await store.events(AuditQuery(action: "connection.")).map(\.action) == ["connection.checked", "connection.edited", "connection.created"])
        #expect(try await store.events(AuditQuery(action: "connection")).isEmpty)
        #expect(try await store.events(AuditQuery(action: "tableau.signin")).count == 1)
        #expect(try await store.events(AuditQuery(actor: "token:ci")).map(\.target) == ["test"])
        #expect(try await store.events(AuditQuery(target: "test")).count == 1)
        #expect(try await store.events(AuditQuery(outcome: "failure")).map(\.action) == ["tableau.signin"])
        let window = AuditQuery(since: Fixtures.later(1_000), until: Fixtures.later(3_000))
        #expect(try await store.events(window).map(\.action) == ["connection.checked", "tableau.signin", "connection.edited"])
        #expect(try await store.events(AuditQuery(limit: 2)).map(\.sequence) == [5, 4])
        #expect(try await store.events(AuditQuery(before: 4, limit: 2)).map(\.sequence) == [3, 2])
        #expect(try await store.events(AuditQuery(action: "connection.", target: "prod", before: 2)).map(\.sequence) == [1])
    }

    @Test(arguments: StoreKind.shared) func theAuditLogRefusesUpdateAndDelete(_ kind: StoreKind) async throws {
        let (empty, cleanUp) = try await kind.make()
        defer { cleanUp() }
        let store = try await filled(empty)
        for statement in ["UPDATE audit_log SET outcome = 'success' WHERE sequence = 3", "DELETE FROM audit_log WHERE sequence = 1",
            "DELETE FROM audit_log"] + (kind == .postgres ? ["TRUNCATE audit_log"] : [])
        {
            await #expect(throws: (any Error).self, "\(statement)") { _ = try await RawSQL.rows(statement, in: store) }
        }
        let events = try await store.events(AuditQuery())
        #expect(events.count == 5)
        #expect(events.first { $0.sequence == 3 }?.outcome == "failure")
    }
}
