import Foundation
import Freshet
import Synchronization

/// The process "dies" at its `crashAt`th store call: that call and every later one fail, so
/// nothing more of its work reaches the store — as if it were killed with SIGKILL there.
/// (A call that fails never reaches the store, matching a transaction that never committed.)
/// While ``unreachable`` is set, every call fails the same way but the process lives on (the
/// database is away, as while PostgreSQL restarts).
final class CrashingRunStore: RunStore {
    struct Crashed: Error {}

    let base: InMemoryStore
    private let counter: Mutex<(calls: Int, crashAt: Int?, unreachable: Bool, losesSubmitAnswer: Bool)>

    /// Called after each `claimRuns` (a test moves its clock there: time passing inside the call).
    let afterClaimRuns: @Sendable () -> Void

    init(_ base: InMemoryStore, crashAt: Int?, afterClaimRuns: @escaping @Sendable () -> Void = {}) {
        self.base = base
        counter = Mutex((0, crashAt, false, false))
        self.afterClaimRuns = afterClaimRuns
    }

    /// Store calls made so far (including the one that crashed).
    var calls: Int { counter.withLock { $0.calls } }

    /// Whether the database is away: calls fail until it is back.
    var unreachable: Bool {
        get { counter.withLock { $0.unreachable } }
        set { counter.withLock { $0.unreachable = newValue } }
    }

    /// Whether a stored request's answer is lost after its commit.
    var losesSubmitAnswer: Bool {
        get { counter.withLock { $0.losesSubmitAnswer } }
        set { counter.withLock { $0.losesSubmitAnswer = newValue } }
    }

    private func alive() throws {
        try counter.withLock { state in
            state.calls += 1
            if let crashAt = state.crashAt, state.calls >= crashAt { throw Crashed() }
            if state.unreachable { throw Crashed() }
        }
    }

    func create(_ run: Run, joiningActive: Bool) async throws -> RunCreation {
        try alive()
        return try await base.create(run, joiningActive: joiningActive)
    }
    func runs(connectionId: String, idempotencyKey key: String) async throws -> [Run] {
        try alive()
        return await base.runs(connectionId: connectionId, idempotencyKey: key)
    }
    func run(id: String) async throws -> Run? {
        try alive()
        return await base.run(id: id)
    }
    func runs(_ query: RunQuery) async throws -> [Run] {
        try alive()
        return await base.runs(query)
    }
    func transition(_ run: Run, expectedVersion: Int, now: Date) async throws -> Run? {
        try alive()
        return try await base.transition(run, expectedVersion: expectedVersion, now: now)
    }
    func activeRun(connectionId: String, item: RunItem) async throws -> Run? {
        try alive()
        return await base.activeRun(connectionId: connectionId, item: item)
    }
    func nonTerminalRunCount() async throws -> Int {
        try alive()
        return await base.nonTerminalRunCount()
    }

    func nonTerminalRuns() async throws -> [Run] {
        try alive()
        return await base.nonTerminalRuns()
    }
    func claim(runId: String, holder: String, until: Date, now: Date) async throws -> Bool {
        try alive()
        return await base.claim(runId: runId, holder: holder, until: until, now: now)
    }
    func renew(runId: String, holder: String, until: Date, now: Date) async throws -> Bool {
        try alive()
        return await base.renew(runId: runId, holder: holder, until: until, now: now)
    }
    func release(runId: String, holder: String) async throws {
        try alive()
        await base.release(runId: runId, holder: holder)
    }
    func submit(_ batch: RunBatch) async throws -> RunBatchResult {
        try alive()
        let result = try await base.submit(batch)
        // Stored, but the answer never reaches the caller (the connection broke after the commit).
        if counter.withLock({ $0.losesSubmitAnswer }) { throw Crashed() }
        return result
    }
    func request(connectionId: String, idempotencyKey key: String) async throws -> StoredRequest? {
        try alive()
        return await base.request(connectionId: connectionId, idempotencyKey: key)
    }
    func claimRuns(holder: String, until: Date, now: Date, limit: Int) async throws -> [Run] {
        try alive()
        defer { afterClaimRuns() }
        return await base.claimRuns(holder: holder, until: until, now: now, limit: limit)
    }
    func renewLeases(holder: String, until: Date, now: Date) async throws -> Set<String> {
        try alive()
        return await base.renewLeases(holder: holder, until: until, now: now)
    }
    func releaseLeases(holder: String) async throws {
        try alive()
        await base.releaseLeases(holder: holder)
    }
    func nextLeaseExpiry(excluding holder: String, now: Date) async throws -> Date? {
        try alive()
        return await base.nextLeaseExpiry(excluding: holder, now: now)
    }
    func acquireJobSlot(runId: String, connectionId: String, limit: Int) async throws -> Bool {
        try alive()
        return await base.acquireJobSlot(runId: runId, connectionId: connectionId, limit: limit)
    }
    func releaseJobSlot(runId: String) async throws {
        try alive()
        await base.releaseJobSlot(runId: runId)
    }
    func jobSlotsInUse(connectionId: String) async throws -> Int {
        try alive()
        return await base.jobSlotsInUse(connectionId: connectionId)
    }
    func siteHold(connectionId: String, now: Date) async throws -> SiteHold? {
        try alive()
        return try await base.siteHold(connectionId: connectionId, now: now)
    }
    func holdSite(_ hold: SiteHold) async throws {
        try alive()
        try await base.holdSite(hold)
    }
}
