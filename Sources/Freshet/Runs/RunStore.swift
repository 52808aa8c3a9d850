package import Foundation

/// Durable refresh runs, shared by every process on one store.
///
/// Every method is atomic: two processes (or tasks) can never both create a run for one
/// idempotency key, both apply a transition to the same version, or both hold a run's lease.
package protocol RunStore: Sendable {
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
    /// Writes `run` (as a ``RunStateMachine`` left it, and its item's name) if the stored run
    /// still has version `expectedVersion`; sets `updatedAt` to `now` and bumps the version. Returns the stored run,
    /// or nil when another writer got there first (the caller reads the run again).
    /// - Throws: ``StoreError`` when there is no such run.
    func transition(_ run: Run, expectedVersion: Int, now: Date) async throws -> Run?
    /// The active (non-terminal) run of `connectionId` for `item`'s content type and Tableau id.
    func activeRun(connectionId: String, item: RunItem) async throws -> Run?
    /// Every non-terminal run, oldest first (crash recovery).
    func nonTerminalRuns() async throws -> [Run]
    /// How many runs have not ended (the queue-depth gauge); counted, not read.
    func nonTerminalRunCount() async throws -> Int
    /// Takes the lease on run `runId` for `holder` until `until`, when the run is non-terminal
    /// and its lease is free, expired (`until <= now`) or already `holder`'s. Returns whether
    /// `holder` now drives the run.
    func claim(runId: String, holder: String, until: Date, now: Date) async throws -> Bool
    /// Extends `holder`'s lease on run `runId` to `until`; false when `holder` no longer has it
    /// (it expired and another holder took it, or the run ended).
    func renew(runId: String, holder: String, until: Date, now: Date) async throws -> Bool
    /// Gives up `holder`'s lease on run `runId`, if it has it.
    func release(runId: String, holder: String) async throws

    // MARK: Requests, stored whole

    /// Stores every run of one request in one transaction — new runs (leased to
    /// `batch.leaseHolder` when given), joins of active runs, per-item keys and the request's key
    /// with its fingerprint — unless the connection already has a request with `batch`'s key:
    /// then nothing is written and that request is returned. A crash stores all or nothing.
    func submit(_ batch: RunBatch) async throws -> RunBatchResult
    /// The request stored under idempotency key `key` on `connectionId` (its fingerprint, nil for
    /// requests stored before Freshet kept one, and its runs oldest first), or nil.
    func request(connectionId: String, idempotencyKey key: String) async throws -> StoredRequest?

    // MARK: Leases in bulk

    /// Takes the leases of up to `limit` non-terminal runs whose lease is free or expired (oldest
    /// first; several processes never get the same run) for `holder` until `until`.
    func claimRuns(holder: String, until: Date, now: Date, limit: Int) async throws -> [Run]
    /// Extends every lease `holder` still has on a non-terminal run; returns those runs' ids.
    func renewLeases(holder: String, until: Date, now: Date) async throws -> Set<String>
    /// Gives up every lease `holder` has.
    func releaseLeases(holder: String) async throws
    /// The earliest time a lease held by another holder than `holder` on a non-terminal run
    /// lapses (after `now`), or nil: when a process that died would have its runs taken over.
    func nextLeaseExpiry(excluding holder: String, now: Date) async throws -> Date?

    // MARK: Tableau job slots

    /// Marks run `runId` as holding one of its connection's `limit` job slots, if fewer than
    /// `limit` runs of `connectionId` hold one (atomic across processes). True when the run holds
    /// a slot now (also when it already did). A slot is held from before the trigger call until
    /// the run's job ends; the store frees it when the run ends.
    func acquireJobSlot(runId: String, connectionId: String, limit: Int) async throws -> Bool
    /// Frees run `runId`'s job slot (its trigger queued nothing, or its job ended and a retry waits).
    func releaseJobSlot(runId: String) async throws
    /// How many runs of `connectionId` hold a job slot.
    func jobSlotsInUse(connectionId: String) async throws -> Int

    // MARK: Site holds (default: not stored; see SiteHold.swift)

    /// The hold on `connectionId`'s site that lasts past `now`, or nil.
    func siteHold(connectionId: String, now: Date) async throws -> SiteHold?
    /// Stores `hold` unless a hold of the same site lasting longer is stored already.
    func holdSite(_ hold: SiteHold) async throws
}

/// One request's runs, to be stored whole by ``RunStore/submit(_:)``.
package struct RunBatch: Sendable, Equatable {
    /// The connection every run belongs to.
    package var connectionId: String
    /// The caller's idempotency key (each run carries `key#type:id`), if any.
    package var idempotencyKey: String?
    /// A digest of the normalised request; a repeated key with another fingerprint is a conflict.
    package var fingerprint: String
    /// One accepted run per item, in target order.
    package var runs: [Run]
    /// Whether a run for an item with an active run joins that run instead of being stored.
    package var joiningActive: Bool
    /// New runs are stored leased to this holder (the submitting process drives them at once).
    package var leaseHolder: String?
    /// Until when that lease holds.
    package var leaseUntil: Date?
    /// Each run as it stands once started (``RunState/triggering``, its first attempt begun), in
    /// the same order: while the connection has free job slots (fewer than `jobSlotLimit` held),
    /// new runs are stored in this form holding a slot, so their trigger call needs no further
    /// write. (A crash before the call is then an unknown outcome, reconciled like any other.)
    package var startedRuns: [Run]?
    /// The connection's job slots (see ``RunStore/acquireJobSlot(runId:connectionId:limit:)``).
    package var jobSlotLimit: Int

    /// A batch of `runs` for `connectionId`.
    package init(
        connectionId: String, idempotencyKey: String?, fingerprint: String, runs: [Run], joiningActive: Bool = true,
        leaseHolder: String? = nil, leaseUntil: Date? = nil, startedRuns: [Run]? = nil, jobSlotLimit: Int = 0
    ) {
        self.connectionId = connectionId
        self.idempotencyKey = idempotencyKey
        self.fingerprint = fingerprint
        self.runs = runs
        self.joiningActive = joiningActive
        self.leaseHolder = leaseHolder
        self.leaseUntil = leaseUntil
        self.startedRuns = startedRuns
        self.jobSlotLimit = jobSlotLimit
    }

    /// Run `index` in the form to store, given `freeSlots` job slots left.
    package func run(at index: Int, freeSlots: Int) -> (run: Run, holdsSlot: Bool) {
        if let startedRuns, freeSlots > 0, startedRuns.indices.contains(index) { return (startedRuns[index], true) }
        return (runs[index], false)
    }
}

/// What ``RunStore/submit(_:)`` did.
package enum RunBatchResult: Sendable, Equatable {
    /// The batch was stored: one creation per run, in order.
    case stored([RunCreation])
    /// The key was already used; nothing was written.
    case existing(StoredRequest)
}

/// A request stored under an idempotency key.
package struct StoredRequest: Sendable, Equatable {
    /// Its fingerprint (nil for requests stored before Freshet kept one).
    package var fingerprint: String?
    /// Its runs, oldest first.
    package var runs: [Run]

    package init(fingerprint: String?, runs: [Run]) {
        self.fingerprint = fingerprint
        self.runs = runs
    }
}

/// What ``RunStore/create(_:joiningActive:)`` did.
package struct RunCreation: Sendable, Equatable {
    /// Why the returned run is the one.
    package enum Disposition: String, Sendable, Equatable {
        /// The new run was stored.
        case created
        /// A run with the same connection and idempotency key already existed.
        case existingIdempotencyKey
        /// An active run for the same connection and item already existed; the request joins it.
        case joinedActive
    }

    /// The stored run.
    package var run: Run
    /// Whether it is new.
    package var disposition: Disposition

    /// A result of `run` with `disposition`.
    package init(run: Run, disposition: Disposition) {
        self.run = run
        self.disposition = disposition
    }
}

/// Which runs to list, newest first.
package struct RunQuery: Sendable, Equatable {
    /// Only runs of this connection.
    package var connectionId: String?
    /// Only runs in these states (nil: any).
    package var states: Set<RunState>?
    /// Only runs created at or after this time.
    package var since: Date?
    /// Only runs created at or before this time.
    package var until: Date?
    /// At most this many runs (1…10 000).
    package var limit: Int

    /// A query; `limit` is clamped to 1…10 000.
    package init(connectionId: String? = nil, states: Set<RunState>? = nil, since: Date? = nil, until: Date? = nil, limit: Int = 100) {
        self.connectionId = connectionId
        self.states = states
        self.since = since
        self.until = until
        self.limit = max(1, min(limit, 10_000))
    }

    /// Whether `run` matches (limit aside).
    package func matches(_ run: Run) -> Bool {
        (connectionId.map { $0 == run.connectionId } ?? true) && (states.map { $0.contains(run.state) } ?? true)
            && (since.map { run.createdAt >= $0 } ?? true) && (until.map { run.createdAt <= $0 } ?? true)
    }
}
