import Foundation
import Freshet
import FreshetSQLite
import Testing

enum RunStoreFixtures {
    static let sales = RunItem(contentType: .datasource, tableauId: "ds-1", name: "Sales")

    static func run(
        _ id: String, connection: String = "conn-1", item: RunItem = sales, key: String? = nil, createdAt: Date = Fixtures.now
    ) -> Run {
        Run(
            id: id, connectionId: connection, target: "datasource \(item.name)", item: item, actor: "cli:ana", idempotencyKey: key,
            deadline: Fixtures.later(1_800_000), retryPolicy: RunRetryPolicy(maxAttempts: 2, delay: 15), createdAt: createdAt)
    }

    /// Applies `events` to the stored `run` through the store, as the executor would.
    @discardableResult
    static func drive(_ store: any RunStore, _ run: Run, _ events: [RunEvent], at now: Date = Fixtures.later(1000)) async throws -> Run {
        var current = run
        for event in events {
            var machine = RunStateMachine(run: current)
            _ = try machine.handle(event)
            current = try #require(try await store.transition(machine.run, expectedVersion: current.version, now: now))
        }
        return current
    }
}

@Suite struct RunStoreTests {
    @Test(arguments: StoreKind.all)
    func createdRunsReadBackWhole(_ kind: StoreKind) async throws {
        let (store, cleanUp) = try await kind.make()
        defer { cleanUp() }
        let run = RunStoreFixtures.run("r1", key: "k1")
        let creation = try await store.create(run, joiningActive: true)
        #expect(creation == RunCreation(run: run, disposition: .created))
        #expect(try await store.run(id: "r1") == run)
        #expect(try await store.run(id: "nope") == nil)
        let driven = try await RunStoreFixtures.drive(store, run, [.start, .transientFailure(message: "HTTP 503"), .retryDue, .duplicateFound(jobId: "j1")])
        #expect(try await store.run(id: "r1") == driven)
        #expect(driven.version == 4 && driven.updatedAt == Fixtures.later(1000) && driven.state == .waiting && driven.jobId == "j1")
        #expect(driven.attempts.last == RunAttempt(number: 2, jobId: "j1", joinedExisting: true, startedAt: Fixtures.later(1000)))
    }

    @Test(arguments: StoreKind.all)
    func anIdempotencyKeyReturnsTheSameRunPerConnection(_ kind: StoreKind) async throws {
        let (store, cleanUp) = try await kind.make()
        defer { cleanUp() }
        let first = try await store.create(RunStoreFixtures.run("r1", key: "k1"), joiningActive: false)
        let again = try await store.create(RunStoreFixtures.run("r2", key: "k1"), joiningActive: false)
        #expect(again == RunCreation(run: first.run, disposition: .existingIdempotencyKey))
        let otherConnection = try await store.create(RunStoreFixtures.run("r3", connection: "conn-2", key: "k1"), joiningActive: false)
        #expect(otherConnection.disposition == .created)
        let finished = try await RunStoreFixtures.drive(store, first.run, [.cancelRequested])
        #expect(try await store.create(RunStoreFixtures.run("r4", key: "k1"), joiningActive: true).run == finished)
        let noKey = try await store.create(RunStoreFixtures.run("r5"), joiningActive: false)
        #expect(noKey.disposition == .created)
        #expect(try await store.runs(RunQuery()).map(\.id) == ["r5", "r3", "r1"])
        await #expect(throws: StoreError.self) { try await store.create(RunStoreFixtures.run("r5"), joiningActive: false) }
    }

    @Test(arguments: StoreKind.all)
    func aStaleTransitionIsRefused(_ kind: StoreKind) async throws {
        let (store, cleanUp) = try await kind.make()
        defer { cleanUp() }
        let run = try await store.create(RunStoreFixtures.run("r1"), joiningActive: false).run
        var first = RunStateMachine(run: run)
        var second = RunStateMachine(run: run)
        _ = try first.handle(.start)
        _ = try second.handle(.cancelRequested)
        let applied = try #require(try await store.transition(first.run, expectedVersion: 0, now: Fixtures.later(5)))
        #expect(applied.version == 1 && applied.state == .triggering)
        #expect(try await store.transition(second.run, expectedVersion: 0, now: Fixtures.later(6)) == nil)
        #expect(try await store.run(id: "r1") == applied)
        var renamed = first.run
        renamed.target = "something else"
        renamed.connectionId = "conn-9"
        let kept = try #require(try await store.transition(renamed, expectedVersion: 1, now: Fixtures.later(7)))
        #expect(kept.target == run.target && kept.connectionId == run.connectionId && kept.createdAt == run.createdAt)
        await #expect(throws: StoreError.self) { try await store.transition(RunStoreFixtures.run("ghost"), expectedVersion: 0, now: Fixtures.now) }
    }

    @Test(arguments: StoreKind.all)
    func requestsForAnActiveItemJoinItsRun(_ kind: StoreKind) async throws {
        let (store, cleanUp) = try await kind.make()
        defer { cleanUp() }
        let workbook = RunItem(contentType: .workbook, tableauId: "ds-1", name: "Same id, other type")
        let active = try await store.create(RunStoreFixtures.run("r1"), joiningActive: true).run
        #expect(try await store.create(RunStoreFixtures.run("r2"), joiningActive: true) == RunCreation(run: active, disposition: .joinedActive))
        #expect(try await store.create(RunStoreFixtures.run("r3", item: workbook), joiningActive: true).disposition == .created)
        #expect(try await store.create(RunStoreFixtures.run("r4", connection: "conn-2"), joiningActive: true).disposition == .created)
        #expect(try await store.activeRun(connectionId: "conn-1", item: RunStoreFixtures.sales)?.id == "r1")
        let waiting = try await RunStoreFixtures.drive(store, active, [.start, .jobQueued(jobId: "j1")])
        #expect(try await store.activeRun(connectionId: "conn-1", item: RunStoreFixtures.sales) == waiting)
        try await RunStoreFixtures.drive(store, waiting, [.jobSucceeded])
        #expect(try await store.activeRun(connectionId: "conn-1", item: RunStoreFixtures.sales) == nil)
        #expect(try await store.create(RunStoreFixtures.run("r5"), joiningActive: true).disposition == .created)
    }

    @Test(arguments: StoreKind.all)
    func aKeyThatJoinedARunKeepsReturningItAfterItEnds(_ kind: StoreKind) async throws {
        let (store, cleanUp) = try await kind.make()
        defer { cleanUp() }
        let active = try await store.create(RunStoreFixtures.run("r1", key: "first"), joiningActive: true).run
        #expect(try await store.create(RunStoreFixtures.run("r2", key: "second"), joiningActive: true).disposition == .joinedActive)
        let waiting = try await RunStoreFixtures.drive(store, active, [.start, .jobQueued(jobId: "j1"), .jobSucceeded])
        let again = try await store.create(RunStoreFixtures.run("r3", key: "second"), joiningActive: true)
        #expect(again.disposition == .existingIdempotencyKey)
        #expect(again.run.id == "r1" && again.run == waiting)
        #expect(try await store.create(RunStoreFixtures.run("r4", connection: "conn-2", key: "second"), joiningActive: true).disposition == .created)
        #expect(try await store.create(RunStoreFixtures.run("r5", key: "third"), joiningActive: true).disposition == .created)
    }

    @Test(arguments: StoreKind.all)
    func theRunsOfAKeyAreFoundExactlyWithoutResolvingItsItems(_ kind: StoreKind) async throws {
        let (store, cleanUp) = try await kind.make()
        defer { cleanUp() }
        let workbook = RunItem(contentType: .workbook, tableauId: "wb-1", name: "Board")
        let other = RunItem(contentType: .workbook, tableauId: "wb-2", name: "Other")
        _ = try await store.create(RunStoreFixtures.run("r1", key: "dag_1#datasource:ds-1"), joiningActive: true)
        _ = try await store.create(RunStoreFixtures.run("r2", item: workbook, key: "dag_1#workbook:wb-1"), joiningActive: true)
        _ = try await store.create(RunStoreFixtures.run("r3", item: other, key: "DAG_1#workbook:wb-2"), joiningActive: true)
        _ = try await store.create(RunStoreFixtures.run("r4", item: other, key: "dagX1#workbook:wb-2"), joiningActive: true)
        // Joins r1 under another key.
        _ = try await store.create(RunStoreFixtures.run("r5", key: "dag_2#datasource:ds-1"), joiningActive: true)
        // Around the range the lookup uses ("dag_1#" ≤ key < "dag_1$"): neither bound is a match.
        for (id, key) in [("r6", "dag_1$workbook:wb-3"), ("r7", "dag_1"), ("r8", "dag_1\"x")] {
            let item = RunItem(contentType: .workbook, tableauId: "wb-\(id)", name: id)
            _ = try await store.create(RunStoreFixtures.run(id, item: item, key: key, createdAt: Fixtures.later(1)), joiningActive: true)
        }
        #expect(try await store.runs(connectionId: "conn-1", idempotencyKey: "dag_1").map(\.id) == ["r1", "r2", "r7"])
        #expect(try await store.runs(connectionId: "conn-1", idempotencyKey: "dag_2").map(\.id) == ["r1"])
        #expect(try await store.runs(connectionId: "conn-1", idempotencyKey: "dag").isEmpty)
        #expect(try await store.runs(connectionId: "conn-2", idempotencyKey: "dag_1").isEmpty)
    }

    @Test(arguments: StoreKind.all)
    func listingFiltersAndRecovery(_ kind: StoreKind) async throws {
        let (store, cleanUp) = try await kind.make()
        defer { cleanUp() }
        var runs: [Run] = []
        for index in 0..<6 {
            let item = RunItem(contentType: .datasource, tableauId: "ds-\(index)", name: "DS \(index)")
            let run = RunStoreFixtures.run("r\(index)", connection: index % 2 == 0 ? "conn-1" : "conn-2", item: item,
                createdAt: Fixtures.later(Int64(index) * 60_000))
            runs.append(try await store.create(run, joiningActive: false).run)
        }
        try await RunStoreFixtures.drive(store, runs[0], [.start, .jobQueued(jobId: "j0"), .jobFailed(notes: "x"), .retryDue, .jobQueued(jobId: "j0b")])
        try await RunStoreFixtures.drive(store, runs[1], [.start, .jobQueued(jobId: "j1"), .jobSucceeded])
        try await RunStoreFixtures.drive(store, runs[2], [.deadlinePassed])
        try await RunStoreFixtures.drive(store, runs[3], [.start])
        #expect(try await store.runs(RunQuery()).map(\.id) == ["r5", "r4", "r3", "r2", "r1", "r0"])
        #expect(try await store.runs(RunQuery(connectionId: "conn-1")).map(\.id) == ["r4", "r2", "r0"])
        #expect(try await store.runs(RunQuery(states: [.succeeded, .timedOut])).map(\.id) == ["r2", "r1"])
        #expect(try await store.runs(RunQuery(states: [])).isEmpty)
        #expect(try await store.runs(RunQuery(since: Fixtures.later(60_000), until: Fixtures.later(180_000))).map(\.id) == ["r3", "r2", "r1"])
        #expect(try await store.runs(RunQuery(connectionId: "conn-2", limit: 2)).map(\.id) == ["r5", "r3"])
        let recovering = try await store.nonTerminalRuns()
        #expect(recovering.map(\.id) == ["r0", "r3", "r4", "r5"])
        #expect(recovering.map(\.state) == [.waiting, .triggering, .accepted, .accepted])
        #expect(recovering[0].jobId == "j0b" && recovering[0].attempts.count == 2)
        #expect(try await store.nonTerminalRunCount() == 4)
    }

    @Test(arguments: StoreKind.all)
    func oneHolderDrivesARunAtATime(_ kind: StoreKind) async throws {
        let (store, cleanUp) = try await kind.make()
        defer { cleanUp() }
        _ = try await store.create(RunStoreFixtures.run("r1"), joiningActive: false)
        let minute = Fixtures.later(60_000)
        #expect(try await store.claim(runId: "r1", holder: "a", until: minute, now: Fixtures.now))
        #expect(try await !store.claim(runId: "r1", holder: "b", until: minute, now: Fixtures.later(59_999)))
        #expect(try await store.run(id: "r1")?.lease == RunLease(holder: "a", until: minute))
        #expect(try await store.renew(runId: "r1", holder: "a", until: Fixtures.later(90_000), now: Fixtures.later(30_000)))
        #expect(try await !store.renew(runId: "r1", holder: "b", until: Fixtures.later(90_000), now: Fixtures.later(30_000)))
        #expect(try await !store.claim(runId: "r1", holder: "b", until: Fixtures.later(150_000), now: Fixtures.later(89_999)))
        #expect(try await store.claim(runId: "r1", holder: "b", until: Fixtures.later(150_000), now: Fixtures.later(90_000)))
        #expect(try await !store.renew(runId: "r1", holder: "a", until: Fixtures.later(200_000), now: Fixtures.later(90_001)))
        try await store.release(runId: "r1", holder: "a")
        #expect(try await store.run(id: "r1")?.lease?.holder == "b")
        try await store.release(runId: "r1", holder: "b")
        #expect(try await store.run(id: "r1")?.lease == nil)
        #expect(try await store.claim(runId: "r1", holder: "c", until: minute, now: Fixtures.now))
        let ended = try await RunStoreFixtures.drive(store, try #require(try await store.run(id: "r1")), [.cancelRequested])
        #expect(ended.lease?.holder == "c")
        #expect(try await !store.claim(runId: "r1", holder: "d", until: Fixtures.later(999_999), now: Fixtures.later(999_000)))
        #expect(try await !store.renew(runId: "r1", holder: "c", until: Fixtures.later(999_999), now: Fixtures.now))
        #expect(try await !store.claim(runId: "missing", holder: "a", until: minute, now: Fixtures.now))
    }
}
