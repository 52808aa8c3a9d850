import Foundation
import Freshet
import Testing

/// Separate handles on one database, as separate processes would have, racing on one run.
@Suite struct RunStoreConcurrencyTests {
    /// Runs `body` once per handle on one fresh database of `kind`, concurrently, after `setup`.
    func race<T: Sendable>(
        _ count: Int, on kind: StoreKind, setup: (any ConformingStore) async throws -> Void = { _ in },
        _ body: @escaping @Sendable (Int, any ConformingStore) async throws -> T
    ) async throws -> [T] {
        let (stores, cleanUp) = try await kind.makeHandles(count)
        defer { cleanUp() }
        try await setup(stores[0])
        return try await withThrowingTaskGroup(of: T.self) { group in
            for (index, store) in stores.enumerated() {
                group.addTask { try await body(index, store) }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
    }

    @Test(arguments: StoreKind.all) func exactlyOneOfTenHandlesWinsARunsLease(_ kind: StoreKind) async throws {
        let wins = try await race(10, on: kind, setup: { _ = try await $0.create(RunStoreFixtures.run("r1"), joiningActive: false) }) { index, store in
            try await store.claim(runId: "r1", holder: "process-\(index)", until: Fixtures.later(60_000), now: Fixtures.now)
        }
        #expect(wins.filter { $0 }.count == 1)
    }

    @Test(arguments: StoreKind.all) func exactlyOneOfTenHandlesAppliesATransition(_ kind: StoreKind) async throws {
        let run = RunStoreFixtures.run("r1")
        let applied = try await race(10, on: kind, setup: { _ = try await $0.create(run, joiningActive: false) }) { _, store in
            var machine = RunStateMachine(run: run)
            _ = try machine.handle(.start)
            return try await store.transition(machine.run, expectedVersion: run.version, now: Fixtures.later(1)) != nil
        }
        #expect(applied.filter { $0 }.count == 1)
    }

    @Test(arguments: StoreKind.all) func tenHandlesCreatingWithOneKeyGetOneRun(_ kind: StoreKind) async throws {
        let creations = try await race(10, on: kind) { index, store in
            try await store.create(RunStoreFixtures.run("r\(index)", key: "pipeline-42"), joiningActive: false)
        }
        #expect(creations.filter { $0.disposition == .created }.count == 1)
        #expect(Set(creations.map(\.run.id)).count == 1)
    }

    @Test(arguments: StoreKind.all) func tenHandlesCreatingForOneItemGetOneActiveRun(_ kind: StoreKind) async throws {
        let creations = try await race(10, on: kind) { index, store in
            try await store.create(RunStoreFixtures.run("r\(index)"), joiningActive: true)
        }
        #expect(creations.filter { $0.disposition == .created }.count == 1)
        #expect(Set(creations.map(\.run.id)).count == 1)
    }

    @Test(arguments: StoreKind.all) func exactlyOneOfTwentyHandlesWinsANamedLease(_ kind: StoreKind) async throws {
        let wins = try await race(20, on: kind) { index, store in
            try await store.acquireLease("signin:conn-1", holder: "process-\(index)", until: Fixtures.later(60_000), now: Fixtures.now)
        }
        #expect(wins.filter { $0 }.count == 1)
    }

    @Test(arguments: StoreKind.all) func handlesClaimingRunsAtOnceNeverShareOne(_ kind: StoreKind) async throws {
        let runs = (0..<40).map { RunStoreFixtures.run("r\($0)", item: RunItem(contentType: .workbook, tableauId: "wb-\($0)", name: "W\($0)")) }
        let claimed = try await race(5, on: kind, setup: { store in for run in runs { _ = try await store.create(run, joiningActive: false) } }) {
            index, store in
            try await store.claimRuns(holder: "process-\(index)", until: Fixtures.later(60_000), now: Fixtures.now, limit: 10).map(\.id)
        }
        #expect(claimed.flatMap { $0 }.count == 40)
        #expect(Set(claimed.flatMap { $0 }).count == 40)
    }
}
