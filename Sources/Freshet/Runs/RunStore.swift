import Foundation

/// Durable refresh runs, shared by every process on one store.
///
/// Every method is atomic: two processes (or tasks) can never both create a run for one
/// idempotency key, both apply a transition to the same version, or both hold a run's lease.
public protocol RunStore: Sendable {
    /// Stores `run` (accepted, version 0) unless the store already has the run it stands for:
    /// the run of its connection with the same idempotency key, or — when `joiningActive` — the
    /// active (non-terminal) run of its connection and item. Returns the stored run and which.
    func create(_ run: Run, joiningActive: Bool) async throws -> RunCreation
    /// The runs a request with idempotency key `key` created or joined on `connectionId`: runs
    /// stored under `key` itself or under `key#…` (one per item), oldest first.
    func runs(connectionId: String, idempotencyKey key: String) async throws -> [Run]
    /// The run with `id`, or nil.
    func run(id: String) async throws -> Run?
    /// Runs matching `query`, newest first.
    func runs(_ query: RunQuery) async throws -> [Run]
    /// Writes `run` (as a ``RunStateMachine`` left it) if the stored run still has version
    /// `expectedVersion`; sets `updatedAt` to `now` and bumps the version. Returns the stored run,
    /// or nil when another writer got there first (the caller reads the run again).
    /// - Throws: ``StoreError`` when there is no such run.
    func transition(_ run: Run, expectedVersion: Int, now: Date) async throws -> Run?
    /// The active (non-terminal) run of `connectionId` for `item`'s content type and Tableau id.
    func activeRun(connectionId: String, item: RunItem) async throws -> Run?
    /// Every non-terminal run, oldest first (crash recovery).
    func nonTerminalRuns() async throws -> [Run]
    /// Takes the lease on run `runId` for `holder` until `until`, when the run is non-terminal
    /// and its lease is free, expired (`until <= now`) or already `holder`'s. Returns whether
    /// `holder` now drives the run.
    func claim(runId: String, holder: String, until: Date, now: Date) async throws -> Bool
    /// Extends `holder`'s lease on run `runId` to `until`; false when `holder` no longer has it
    /// (it expired and another holder took it, or the run ended).
    func renew(runId: String, holder: String, until: Date, now: Date) async throws -> Bool
    /// Gives up `holder`'s lease on run `runId`, if it has it.
    func release(runId: String, holder: String) async throws
}

/// What ``RunStore/create(_:joiningActive:)`` did.
public struct RunCreation: Sendable, Equatable {
    /// Why the returned run is the one.
    public enum Disposition: String, Sendable, Equatable {
        /// The new run was stored.
        case created
        /// A run with the same connection and idempotency key already existed.
        case existingIdempotencyKey
        /// An active run for the same connection and item already existed; the request joins it.
        case joinedActive
    }

    /// The stored run.
    public var run: Run
    /// Whether it is new.
    public var disposition: Disposition

    /// A result of `run` with `disposition`.
    public init(run: Run, disposition: Disposition) {
        self.run = run
        self.disposition = disposition
    }
}

/// Which runs to list, newest first.
public struct RunQuery: Sendable, Equatable {
    /// Only runs of this connection.
    public var connectionId: String?
    /// Only runs in these states (nil: any).
    public var states: Set<RunState>?
    /// Only runs created at or after this time.
    public var since: Date?
    /// Only runs created at or before this time.
    public var until: Date?
    /// At most this many runs (1…10 000).
    public var limit: Int

    /// A query; `limit` is clamped to 1…10 000.
    public init(connectionId: String? = nil, states: Set<RunState>? = nil, since: Date? = nil, until: Date? = nil, limit: Int = 100) {
        self.connectionId = connectionId
        self.states = states
        self.since = since
        self.until = until
        self.limit = max(1, min(limit, 10_000))
    }

    /// Whether `run` matches (limit aside).
    public func matches(_ run: Run) -> Bool {
        (connectionId.map { $0 == run.connectionId } ?? true) && (states.map { $0.contains(run.state) } ?? true)
            && (since.map { run.createdAt >= $0 } ?? true) && (until.map { run.createdAt <= $0 } ?? true)
    }
}
