import Foundation

extension InMemoryStore: RunStore {
    /// Stores `run`, or returns the run of the same connection and idempotency key, or (when
    /// `joiningActive`) the active run of the same connection and item.
    public func create(_ run: Run, joiningActive: Bool) throws -> RunCreation {
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
        guard runsById[run.id] == nil else { throw StoreError("A run with id \(run.id) already exists") }
        var stored = run
        stored.version = 0
        stored.lease = nil
        runsById[run.id] = stored
        return RunCreation(run: stored, disposition: .created)
    }

    /// The run with `id`, or nil.
    public func run(id: String) -> Run? { runsById[id] }

    /// Runs stored or joined under `key` or `key#…` on `connectionId`, oldest first.
    public func runs(connectionId: String, idempotencyKey key: String) -> [Run] {
        func matches(_ stored: String?) -> Bool { stored == key || stored?.hasPrefix(key + "#") == true }
        let own = runsById.values.filter { $0.connectionId == connectionId && matches($0.idempotencyKey) }
        let joined = joinedKeys.filter { $0.key.connectionId == connectionId && matches($0.key.key) }.compactMap { runsById[$0.value] }
        var seen: Set<String> = []
        return (own + joined).filter { seen.insert($0.id).inserted }
            .sorted { $0.createdAt == $1.createdAt ? $0.id < $1.id : $0.createdAt < $1.createdAt }
    }

    /// Runs matching `query`, newest first.
    public func runs(_ query: RunQuery) -> [Run] {
        Array(runsById.values.filter(query.matches).sorted(by: Self.newestFirst).prefix(query.limit))
    }

    /// Writes the state-machine fields of `run` if the stored version is `expectedVersion`.
    public func transition(_ run: Run, expectedVersion: Int, now: Date) throws -> Run? {
        guard var stored = runsById[run.id] else { throw StoreError("No run with id \(run.id)") }
        guard stored.version == expectedVersion else { return nil }
        stored.state = run.state
        stored.jobId = run.jobId
        stored.attempts = run.attempts
        stored.notes = run.notes
        stored.cancelRequested = run.cancelRequested
        stored.updatedAt = now
        stored.version += 1
        runsById[run.id] = stored
        return stored
    }

    /// The non-terminal run of `connectionId` for `item`, or nil.
    public func activeRun(connectionId: String, item: RunItem) -> Run? {
        runsById.values.filter {
            !$0.state.isTerminal && $0.connectionId == connectionId && $0.item.contentType == item.contentType
                && $0.item.tableauId == item.tableauId
        }.min { $0.createdAt == $1.createdAt ? $0.id < $1.id : $0.createdAt < $1.createdAt }
    }

    /// Every non-terminal run, oldest first.
    public func nonTerminalRuns() -> [Run] {
        runsById.values.filter { !$0.state.isTerminal }.sorted { Self.newestFirst($1, $0) }
    }

    /// Takes the lease of a non-terminal run that is free, expired or already `holder`'s.
    public func claim(runId: String, holder: String, until: Date, now: Date) -> Bool {
        guard var run = runsById[runId], !run.state.isTerminal else { return false }
        if let lease = run.lease, lease.holder != holder, lease.until > now { return false }
        run.lease = RunLease(holder: holder, until: until)
        runsById[runId] = run
        return true
    }

    /// Extends `holder`'s lease if it still has it.
    public func renew(runId: String, holder: String, until: Date, now: Date) -> Bool {
        guard runsById[runId]?.lease?.holder == holder else { return false }
        return claim(runId: runId, holder: holder, until: until, now: now)
    }

    /// Drops `holder`'s lease.
    public func release(runId: String, holder: String) {
        if runsById[runId]?.lease?.holder == holder { runsById[runId]?.lease = nil }
    }

    /// Newest first: later creation, then greater id.
    static func newestFirst(_ a: Run, _ b: Run) -> Bool {
        a.createdAt == b.createdAt ? a.id > b.id : a.createdAt > b.createdAt
    }
}
