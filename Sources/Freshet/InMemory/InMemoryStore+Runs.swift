package import Foundation

extension InMemoryStore: RunStore {
    /// Stores `run`, or returns the run of the same connection and idempotency key, or (when
    /// `joiningActive`) the active run of the same connection and item.
    package func create(_ run: Run, joiningActive: Bool) throws -> RunCreation {
        if let key = run.idempotencyKey,
            let existing = joinedKeys[RunKey(connectionId: run.connectionId, key: key)].flatMap({ runsById[$0] })
                ?? runsById.values.first(where: { $0.connectionId == run.connectionId && $0.idempotencyKey == key })
        {
            return RunCreation(run: existing, disposition: .existingIdempotencyKey)
        }
        if joiningActive, let active = activeRun(connectionId: run.connectionId, item: run.item) {
            if let key = run.idempotencyKey { joinedKeys[RunKey(connectionId: run.connectionId, key: key)] = active.id }
            return RunCreation(run: active, disposition: .joinedActive)
        }
        guard runsById[run.id] == nil else { throw StoreError(.conflict, "A run with id \(run.id) already exists") }
        var stored = run
        stored.version = 0
        stored.lease = nil
        stored.holdsJobSlot = false
        runsById[run.id] = stored
        return RunCreation(run: stored, disposition: .created)
    }

    /// Stores every run of `batch` at once (an actor method: nothing interleaves), or returns the
    /// request its key already names.
    package func submit(_ batch: RunBatch) throws -> RunBatchResult {
        if let key = batch.idempotencyKey, let earlier = request(connectionId: batch.connectionId, idempotencyKey: key) {
            return .existing(earlier)
        }
        if batch.runs.contains(where: { runsById[$0.id] != nil }) { throw StoreError(.conflict, "A run of the request already exists") }
        var creations: [RunCreation] = []
        var freeSlots = batch.jobSlotLimit - jobSlotsInUse(connectionId: batch.connectionId)
        for index in batch.runs.indices {
            let (run, holdsSlot) = batch.run(at: index, freeSlots: freeSlots)
            var creation = try create(run, joiningActive: batch.joiningActive)
            if creation.disposition == .created {
                if let holder = batch.leaseHolder, let until = batch.leaseUntil { runsById[run.id]?.lease = RunLease(holder: holder, until: until) }
                if holdsSlot {
                    runsById[run.id]?.holdsJobSlot = true
                    freeSlots -= 1
                }
                creation.run = runsById[run.id]!
            }
            creations.append(creation)
        }
        if let key = batch.idempotencyKey { requestFingerprints[RunKey(connectionId: batch.connectionId, key: key)] = batch.fingerprint }
        return .stored(creations)
    }

    /// The request stored under `key` on `connectionId`, or nil.
    package func request(connectionId: String, idempotencyKey key: String) -> StoredRequest? {
        let fingerprint = requestFingerprints[RunKey(connectionId: connectionId, key: key)]
        let runs = runs(connectionId: connectionId, idempotencyKey: key)
        guard fingerprint != nil || !runs.isEmpty else { return nil }
        return StoredRequest(fingerprint: fingerprint, runs: runs)
    }

    /// Leases up to `limit` free or expired non-terminal runs to `holder`, oldest first.
    package func claimRuns(holder: String, until: Date, now: Date, limit: Int) -> [Run] {
        let free = runsById.values.filter { !$0.state.isTerminal && ($0.lease.map { $0.until <= now } ?? true) }
            .sorted { Self.newestFirst($1, $0) }.prefix(max(0, limit))
        return free.map { run in
            runsById[run.id]?.lease = RunLease(holder: holder, until: until)
            return runsById[run.id]!
        }
    }

    /// Extends every lease of `holder` on a non-terminal run.
    package func renewLeases(holder: String, until: Date, now: Date) -> Set<String> {
        var held: Set<String> = []
        for (id, run) in runsById where run.lease?.holder == holder && !run.state.isTerminal {
            runsById[id]?.lease = RunLease(holder: holder, until: until)
            held.insert(id)
        }
        return held
    }

    /// Drops every lease of `holder`.
    package func releaseLeases(holder: String) {
        for (id, run) in runsById where run.lease?.holder == holder { runsById[id]?.lease = nil }
    }

    /// The earliest lapse after `now` of a lease held by someone other than `holder`.
    package func nextLeaseExpiry(excluding holder: String, now: Date) -> Date? {
        runsById.values.compactMap { run in
            guard !run.state.isTerminal, let lease = run.lease, lease.holder != holder, lease.until > now else { return nil }
            return lease.until
        }.min()
    }

    /// Gives run `runId` a job slot when its connection has fewer than `limit` in use.
    package func acquireJobSlot(runId: String, connectionId: String, limit: Int) -> Bool {
        guard let run = runsById[runId], !run.state.isTerminal else { return false }
        if run.holdsJobSlot { return true }
        guard jobSlotsInUse(connectionId: connectionId) < limit else { return false }
        runsById[runId]?.holdsJobSlot = true
        return true
    }

    /// Frees run `runId`'s job slot.
    package func releaseJobSlot(runId: String) {
        runsById[runId]?.holdsJobSlot = false
    }

    /// Runs of `connectionId` holding a job slot.
    package func jobSlotsInUse(connectionId: String) -> Int {
        runsById.values.count { $0.connectionId == connectionId && $0.holdsJobSlot }
    }

    /// The run with `id`, or nil.
    package func run(id: String) -> Run? { runsById[id] }

    /// Runs stored or joined under `key` or `key#…` on `connectionId`, oldest first.
    package func runs(connectionId: String, idempotencyKey key: String) -> [Run] {
        func matches(_ stored: String?) -> Bool { stored == key || stored?.hasPrefix(key + "#") == true }
        let own = runsById.values.filter { $0.connectionId == connectionId && matches($0.idempotencyKey) }
        let joined = joinedKeys.filter { $0.key.connectionId == connectionId && matches($0.key.key) }.compactMap { runsById[$0.value] }
        var seen: Set<String> = []
        return (own + joined).filter { seen.insert($0.id).inserted }
            .sorted { $0.createdAt == $1.createdAt ? $0.id < $1.id : $0.createdAt < $1.createdAt }
    }

    /// Runs matching `query`, newest first.
    package func runs(_ query: RunQuery) -> [Run] {
        Array(runsById.values.filter(query.matches).sorted(by: Self.newestFirst).prefix(query.limit))
    }

    /// Writes the state-machine fields of `run` if the stored version is `expectedVersion`.
    package func transition(_ run: Run, expectedVersion: Int, now: Date) throws -> Run? {
        guard var stored = runsById[run.id] else { throw StoreError(.notFound, "No run with id \(run.id)") }
        guard stored.version == expectedVersion else { return nil }
        let ends = !stored.state.isTerminal && run.state.isTerminal
        stored.state = run.state
        stored.item.name = run.item.name
        stored.jobId = run.jobId
        stored.attempts = run.attempts
        stored.notes = run.notes
        stored.cancelRequested = run.cancelRequested
        stored.updatedAt = now
        stored.version += 1
        if stored.state.isTerminal { stored.holdsJobSlot = false }
        runsById[run.id] = stored
        if ends { recordFreshness(of: stored, at: now) }
        return stored
    }

    /// The non-terminal run of `connectionId` for `item`, or nil.
    package func activeRun(connectionId: String, item: RunItem) -> Run? {
        runsById.values.filter {
            !$0.state.isTerminal && $0.connectionId == connectionId && $0.item.contentType == item.contentType
                && $0.item.tableauId == item.tableauId
        }.min { $0.createdAt == $1.createdAt ? $0.id < $1.id : $0.createdAt < $1.createdAt }
    }

    /// Every non-terminal run, oldest first.
    package func nonTerminalRunCount() -> Int { nonTerminalRuns().count }

    package func nonTerminalRuns() -> [Run] {
        runsById.values.filter { !$0.state.isTerminal }.sorted { Self.newestFirst($1, $0) }
    }

    /// Takes the lease of a non-terminal run that is free, expired or already `holder`'s.
    package func claim(runId: String, holder: String, until: Date, now: Date) -> Bool {
        guard var run = runsById[runId], !run.state.isTerminal else { return false }
        if let lease = run.lease, lease.holder != holder, lease.until > now { return false }
        run.lease = RunLease(holder: holder, until: until)
        runsById[runId] = run
        return true
    }

    /// Extends `holder`'s lease if it still has it.
    package func renew(runId: String, holder: String, until: Date, now: Date) -> Bool {
        guard runsById[runId]?.lease?.holder == holder else { return false }
        return claim(runId: runId, holder: holder, until: until, now: now)
    }

    /// Drops `holder`'s lease.
    package func release(runId: String, holder: String) {
        if runsById[runId]?.lease?.holder == holder { runsById[runId]?.lease = nil }
    }

    /// Newest first: later creation, then greater id.
    static func newestFirst(_ a: Run, _ b: Run) -> Bool {
        a.createdAt == b.createdAt ? a.id > b.id : a.createdAt > b.createdAt
    }
}

extension InMemoryStore {
    /// The hold on `connectionId`'s site that lasts past `now`, or nil.
    package func siteHold(connectionId: String, now: Date) async throws -> SiteHold? {
        siteHolds[connectionId].flatMap { $0.until > now ? $0 : nil }
    }

    /// Stores `hold` unless a longer hold of the same site is stored already.
    package func holdSite(_ hold: SiteHold) async throws {
        if let existing = siteHolds[hold.connectionId], existing.until >= hold.until { return }
        siteHolds[hold.connectionId] = hold
    }
}
