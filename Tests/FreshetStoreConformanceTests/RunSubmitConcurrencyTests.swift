import Foundation
import Freshet
import Testing

/// Requests stored already started while the connection has free job slots, and separate handles
/// (processes) submitting at once: one active run per item, one request per key, the slot limit.
@Suite struct RunSubmitConcurrencyTests {
    static func item(_ id: String) -> RunItem { RunItem(contentType: .datasource, tableauId: id, name: "Item \(id)") }

    /// A request of `items` under `key`, leased to `holder`, stored started while fewer than `limit` slots are held.
    static func batch(_ prefix: String, items: [RunItem], key: String?, holder: String, limit: Int) throws -> RunBatch {
        let runs = items.map { item in
            RunStoreFixtures.run("\(prefix)-\(item.tableauId)", item: item, key: key.map { "\($0)#datasource:\(item.tableauId)" })
        }
        let started = try runs.map { run in
            var machine = RunStateMachine(run: run, now: Fixtures.later(5))
            _ = try machine.handle(.start)
            return machine.run
        }
        return RunBatch(
            connectionId: "conn-1", idempotencyKey: key, fingerprint: "f-\(key ?? prefix)", runs: runs, leaseHolder: holder,
            leaseUntil: Fixtures.later(30_000), startedRuns: started, jobSlotLimit: limit)
    }

    static func creations(_ result: RunBatchResult) throws -> [RunCreation] {
        guard case .stored(let creations) = result else { throw StoreError("expected a stored request, got \(result)") }
        return creations
    }

    @Test(arguments: StoreKind.all)
    func runsAreStoredStartedWhileTheConnectionHasFreeSlots(_ kind: StoreKind) async throws {
        let (store, cleanUp) = try await kind.make()
        defer { cleanUp() }
        let first = try Self.batch("a", items: ["ds-1", "ds-2", "ds-3"].map(Self.item), key: "req-a", holder: "p1", limit: 2)
        let stored = try Self.creations(try await store.submit(first))
        #expect(stored.map(\.disposition) == [.created, .created, .created])
        #expect(stored.map(\.run.state) == [.triggering, .triggering, .accepted])
        #expect(stored.map(\.run.holdsJobSlot) == [true, true, false])
        #expect(stored.map(\.run.attempts.count) == [1, 1, 0])
        #expect(stored.allSatisfy { $0.run.lease == RunLease(holder: "p1", until: Fixtures.later(30_000)) })
        for creation in stored { #expect(try await store.run(id: creation.run.id) == creation.run) }
        #expect(try await store.jobSlotsInUse(connectionId: "conn-1") == 2)
        // No slot left: new runs are stored accepted; an item with an active run joins it.
        let second = try Self.batch("b", items: ["ds-3", "ds-4"].map(Self.item), key: "req-b", holder: "p2", limit: 2)
        let joined = try Self.creations(try await store.submit(second))
        #expect(joined.map(\.disposition) == [.joinedActive, .created])
        #expect(joined.map(\.run.id) == ["a-ds-3", "b-ds-4"])
        #expect(joined[1].run.state == .accepted && !joined[1].run.holdsJobSlot)
        #expect(try await store.request(connectionId: "conn-1", idempotencyKey: "req-b")?.runs.map(\.id) == ["a-ds-3", "b-ds-4"])
        #expect(try await store.jobSlotsInUse(connectionId: "conn-1") == 2)
    }

    @Test(arguments: StoreKind.shared)
    func handlesSubmittingAtOnceKeepOneActiveRunPerItemAndTheSlotLimit(_ kind: StoreKind) async throws {
        let (stores, cleanUp) = try await kind.makeHandles(8)
        defer { cleanUp() }
        // Every request names the shared item and two items of its own; 17 new runs, 5 slots.
        let results = try await withThrowingTaskGroup(of: [RunCreation].self) { group in
            for (index, store) in stores.enumerated() {
                group.addTask {
                    let items = [Self.item("shared"), Self.item("own-\(index)-a"), Self.item("own-\(index)-b")]
                    return try Self.creations(
                        try await store.submit(try Self.batch("p\(index)", items: items, key: "req-\(index)", holder: "p\(index)", limit: 5)))
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        let shared = results.map { $0[0] }
        #expect(shared.filter { $0.disposition == .created }.count == 1)
        #expect(Set(shared.map(\.run.id)).count == 1)
        #expect(results.allSatisfy { $0[1].disposition == .created && $0[2].disposition == .created })
        #expect(try await stores[0].jobSlotsInUse(connectionId: "conn-1") == 5)
        let runs = try await stores[0].nonTerminalRuns()
        #expect(runs.count == 17)
        #expect(runs.filter(\.holdsJobSlot).count == 5)
        #expect(runs.filter(\.holdsJobSlot).allSatisfy { $0.state == .triggering })
        for index in stores.indices {
            let request = try await stores[0].request(connectionId: "conn-1", idempotencyKey: "req-\(index)")
            #expect(request?.fingerprint == "f-req-\(index)")
            #expect(request?.runs.count == 3)
        }
    }

    @Test(arguments: StoreKind.shared)
    func handlesSubmittingOneKeyAtOnceStoreOneRequest(_ kind: StoreKind) async throws {
        let (stores, cleanUp) = try await kind.makeHandles(8)
        defer { cleanUp() }
        let results = try await withThrowingTaskGroup(of: RunBatchResult.self) { group in
            for (index, store) in stores.enumerated() {
                group.addTask {
                    try await store.submit(try Self.batch("p\(index)", items: [Self.item("ds-1"), Self.item("ds-2")], key: "k", holder: "p\(index)", limit: 1))
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        let stored = try results.compactMap { result -> [RunCreation]? in
            if case .stored = result { return try Self.creations(result) } else { return nil }
        }
        #expect(stored.count == 1)
        let ids = stored.first?.map(\.run.id) ?? []
        for result in results {
            if case .existing(let earlier) = result {
                #expect(earlier.fingerprint == "f-k")
                #expect(earlier.runs.map(\.id).sorted() == ids.sorted())
            }
        }
        #expect(try await stores[0].nonTerminalRuns().count == 2)
        #expect(try await stores[0].jobSlotsInUse(connectionId: "conn-1") == 1)
    }
}
