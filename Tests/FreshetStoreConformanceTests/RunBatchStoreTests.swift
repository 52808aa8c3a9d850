import Foundation
import Freshet
import FreshetSQLite
import Testing

/// Requests stored whole, leases in bulk and job slots, on every store.
@Suite struct RunBatchStoreTests {
    static let items = (1...3).map { RunItem(contentType: .datasource, tableauId: "ds-\($0)", name: "Item \($0)") }

    static func batch(_ prefix: String, key: String?, fingerprint: String = "f1", holder: String? = nil) -> RunBatch {
        RunBatch(
            connectionId: "conn-1", idempotencyKey: key, fingerprint: fingerprint,
            runs: items.map { item in
                RunStoreFixtures.run("\(prefix)-\(item.tableauId)", item: item, key: key.map { "\($0)#datasource:\(item.tableauId)" })
            },
            leaseHolder: holder, leaseUntil: holder.map { _ in Fixtures.later(30_000) })
    }

    @Test(arguments: StoreKind.all)
    func aRequestIsStoredWholeAndItsKeyAnswersAfterwards(_ kind: StoreKind) async throws {
        let (store, cleanUp) = try await kind.make()
        defer { cleanUp() }
        guard case .stored(let creations) = try await store.submit(Self.batch("a", key: "k", holder: "p1")) else {
            Issue.record("the first request was not stored")
            return
        }
        #expect(creations.map(\.disposition) == [.created, .created, .created])
        #expect(creations.allSatisfy { $0.run.lease?.holder == "p1" })
        // The same key again: nothing is written, the request comes back with its fingerprint.
        guard case .existing(let earlier) = try await store.submit(Self.batch("b", key: "k", fingerprint: "f2")) else {
            Issue.record("a repeated key stored runs")
            return
        }
        #expect(earlier.fingerprint == "f1")
        #expect(Set(earlier.runs.map(\.id)) == Set(creations.map(\.run.id)))
        #expect(try await store.run(id: "b-ds-1") == nil)
        #expect(try await store.request(connectionId: "conn-1", idempotencyKey: "k")?.runs.count == 3)
        #expect(try await store.request(connectionId: "conn-1", idempotencyKey: "other") == nil)
        // Another key for the same items joins the active runs, and remembers that it did.
        guard case .stored(let joined) = try await store.submit(Self.batch("c", key: "k2")) else { return }
        #expect(joined.map(\.disposition) == [.joinedActive, .joinedActive, .joinedActive])
        #expect(try await store.request(connectionId: "conn-1", idempotencyKey: "k2")?.runs.map(\.id).sorted() == creations.map(\.run.id).sorted())
    }

    /// The stores answer a write with the run as written instead of reading it back: what they
    /// answer must be what a later read gives — dates at the stored precision (these carry
    /// fractions of a millisecond), the lease another process took in between, the job slot.
    @Test(arguments: StoreKind.all)
    func whatAWriteAnswersIsWhatAReadGives(_ kind: StoreKind) async throws {
        let (store, cleanUp) = try await kind.make()
        defer { cleanUp() }
        let fraction = 0.000_456_7
        let created = Fixtures.later(12) + fraction
        let runs = Self.items.map { item in
            var run = RunStoreFixtures.run("w-\(item.tableauId)", item: item, key: "w#datasource:\(item.tableauId)", createdAt: created)
            run.deadline = created + 1_800
            return run
        }
        let started = runs.map { run -> Run in
            var machine = RunStateMachine(run: run, now: created)
            _ = try? machine.handle(.start)
            return machine.run
        }
        let batch = RunBatch(
            connectionId: "conn-1", idempotencyKey: "w", fingerprint: "f", runs: runs, leaseHolder: "p1", leaseUntil: created + 30,
            startedRuns: started, jobSlotLimit: 2)
        guard case .stored(let creations) = try await store.submit(batch) else {
            Issue.record("the request was not stored")
            return
        }
        #expect(creations.map(\.run.holdsJobSlot) == [true, true, false])
        for creation in creations {
            #expect(try await store.run(id: creation.run.id) == creation.run)
        }
        // Another process takes the first run's lease; the next step's answer shows it.
        let first = creations[0].run
        #expect(try await store.claim(runId: first.id, holder: "p2", until: created + 90, now: created + 60))
        let queued = try await RunStoreFixtures.drive(store, first, [.jobQueued(jobId: "j-1")], at: created + 61)
        #expect(queued.lease?.holder == "p2")
        #expect(try await store.run(id: first.id) == queued)
        let ended = try await RunStoreFixtures.drive(store, queued, [.jobSucceeded], at: created + 62)
        #expect(!ended.holdsJobSlot && ended.state == .succeeded)
        #expect(try await store.run(id: first.id) == ended)
        // A step on a stale version changes nothing and answers nil; an unknown run throws.
        var stale = RunStateMachine(run: queued)
        _ = try stale.handle(.jobSucceeded)
        #expect(try await store.transition(stale.run, expectedVersion: queued.version, now: created + 63) == nil)
        var unknown = stale.run
        unknown.id = "w-none"
        await #expect(throws: StoreError.self) { try await store.transition(unknown, expectedVersion: 0, now: created + 63) }
    }

    @Test(arguments: StoreKind.all)
    func leasesAreClaimedRenewedAndReleasedInBulk(_ kind: StoreKind) async throws {
        let (store, cleanUp) = try await kind.make()
        defer { cleanUp() }
        _ = try await store.submit(Self.batch("a", key: nil, holder: "p1"))
        #expect(try await store.claimRuns(holder: "p2", until: Fixtures.later(60_000), now: Fixtures.later(1000), limit: 10).isEmpty)
        #expect(try await store.nextLeaseExpiry(excluding: "p2", now: Fixtures.later(1000)) == Fixtures.later(30_000))
        #expect(try await store.nextLeaseExpiry(excluding: "p1", now: Fixtures.later(1000)) == nil)
        #expect(try await store.renewLeases(holder: "p1", until: Fixtures.later(40_000), now: Fixtures.later(1000)).count == 3)
        // p1 dies; after its leases lapse two processes sweep at once: each run goes to one of them.
        let now = Fixtures.later(41_000)
        async let first = store.claimRuns(holder: "p2", until: Fixtures.later(90_000), now: now, limit: 2)
        async let second = store.claimRuns(holder: "p3", until: Fixtures.later(90_000), now: now, limit: 2)
        let (claimedByP2, claimedByP3) = try await (first, second)
        #expect(claimedByP2.count + claimedByP3.count == 3)
        #expect(Set(claimedByP2.map(\.id)).isDisjoint(with: claimedByP3.map(\.id)))
        #expect(try await store.renewLeases(holder: "p1", until: Fixtures.later(99_000), now: now).isEmpty)
        try await store.releaseLeases(holder: "p2")
        try await store.releaseLeases(holder: "p3")
        #expect(try await store.claimRuns(holder: "p4", until: Fixtures.later(99_000), now: now, limit: 10).count == 3)
    }

    @Test(arguments: StoreKind.all)
    func jobSlotsAreLimitedPerConnectionAndFreedWhenRunsEnd(_ kind: StoreKind) async throws {
        let (store, cleanUp) = try await kind.make()
        defer { cleanUp() }
        _ = try await store.submit(Self.batch("a", key: nil))
        #expect(try await store.acquireJobSlot(runId: "a-ds-1", connectionId: "conn-1", limit: 2))
        #expect(try await store.acquireJobSlot(runId: "a-ds-1", connectionId: "conn-1", limit: 2))  // already held
        #expect(try await store.acquireJobSlot(runId: "a-ds-2", connectionId: "conn-1", limit: 2))
        #expect(try await !store.acquireJobSlot(runId: "a-ds-3", connectionId: "conn-1", limit: 2))
        #expect(try await store.jobSlotsInUse(connectionId: "conn-1") == 2)
        // A run that ends frees its slot.
        let run = try #require(try await store.run(id: "a-ds-1"))
        #expect(run.holdsJobSlot)
        try await RunStoreFixtures.drive(store, run, [.start, .jobQueued(jobId: "j1"), .jobSucceeded])
        #expect(try await store.jobSlotsInUse(connectionId: "conn-1") == 1)
        #expect(try await store.acquireJobSlot(runId: "a-ds-3", connectionId: "conn-1", limit: 2))
        try await store.releaseJobSlot(runId: "a-ds-2")
        #expect(try await store.jobSlotsInUse(connectionId: "conn-1") == 1)
    }

    /// Many concurrent takers never exceed the limit.
    @Test(arguments: StoreKind.all)
    func concurrentSlotTakersNeverExceedTheLimit(_ kind: StoreKind) async throws {
        let (store, cleanUp) = try await kind.make()
        defer { cleanUp() }
        let runs = (1...40).map { RunStoreFixtures.run("r\($0)", item: RunItem(contentType: .datasource, tableauId: "ds-\($0)", name: "I\($0)")) }
        _ = try await store.submit(RunBatch(connectionId: "conn-1", idempotencyKey: nil, fingerprint: "f", runs: runs))
        let granted = try await withThrowingTaskGroup(of: Bool.self) { group in
            for run in runs { group.addTask { try await store.acquireJobSlot(runId: run.id, connectionId: "conn-1", limit: 7) } }
            return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(granted == 7)
        #expect(try await store.jobSlotsInUse(connectionId: "conn-1") == 7)
    }
}
