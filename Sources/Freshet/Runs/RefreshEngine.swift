package import Foundation
package import Logging

/// Runs refreshes: accepts requests as durable runs, drives each run through its
/// ``RunStateMachine`` (writing every transition to the store before carrying out its effect),
/// and lets callers watch and cancel runs — including runs another process drives.
///
/// No task per run: a fixed number of workers step the runs this process leases (each step one
/// transition and at most one Tableau call), one timer heap holds every retry and deadline, and
/// one polling loop per connection checks every waiting job in batched calls. Several processes
/// may share one store: a run is driven by whichever process holds its lease (renewed for all of
/// a process's runs at once); a process whose leases lapse has its runs taken over. See
/// docs/decisions/0007-exactly-once.md.
package actor RefreshEngine {
    let store: any RunStore
    let connections: any ConnectionStore
    let audit: any AuditStore
    /// Writes the engine's audit events, concurrent runs' together.
    let auditBatcher: AuditBatcher
    let gateways: @Sendable (Connection) async throws -> any RefreshGateway
    let configuration: RefreshEngineConfiguration
    let clock: any RunClock
    let logger: Logger
    let metrics: EngineMetrics
    /// Recent target resolutions (60 s, forgotten on a 404), so that requests by name do not ask
    /// Tableau each time.
    let resolutions = ResolutionCache(lifetime: 60)

    /// The runs this process leases and drives, by id.
    var owned: [String: OwnedRun] = [:]
    /// Runs with an event to handle and no step in progress, in order.
    var ready = RunQueue()
    /// Workers waiting for a run to step.
    var idleWorkers: [CheckedContinuation<String?, Never>] = []
    var workerTasks: [Task<Void, Never>] = []
    /// Steps in progress.
    var busySteps = 0
    var settleWaiters: [CheckedContinuation<Void, Never>] = []
    /// Every retry, deadline and poll, by due time; one task sleeps until the earliest.
    var timers = RunTimers()
    var timerTask: Task<Void, Never>?
    var timerSleepUntil: Date?
    /// Waiting jobs per connection, by job id.
    var watched: [String: [String: WatchedJob]] = [:]
    var pollsInProgress: Set<String> = []
    var pollTimerDue: [String: Date] = [:]
    /// No check of a connection's jobs before this (``JobPollingSchedule/spacing(afterChecking:)``).
    var pollNotBefore: [String: Date] = [:]
    /// Runs waiting for a job slot, per connection, first come first served.
    var parked: [String: [String]] = [:]
    var slotTimerDue: Set<String> = []
    var renewalTask: Task<Void, Never>?
    /// Runs this process stopped driving but could not hand back (the database was away): their
    /// leases are still its own, so it drives them again once a renewal reaches the store.
    var droppedLeases: Set<String> = []
    /// Runs leased to this process that it did not drive at the last lease renewal: still so at
    /// the next one, they are driven (a process drives every run leased to it).
    var undrivenLeases: Set<String> = []
    /// Creation times of jobs this process triggered (they let job polling batch from the start).
    var jobCreatedAt: [String: Date] = [:]
    /// Item names Tableau's trigger answers gave for runs known only by id, stored with the next transition.
    var learnedNames: [String: String] = [:]
    /// Recent refresh durations per item: when a waiting job is first checked.
    var durations = RefreshDurations()
    /// Holds Tableau put on sites, by connection id, and when the store was last read for them.
    var siteHolds: [String: SiteHold] = [:]
    var holdsReadAt: [String: Date] = [:]
    /// Each site's hourly budgets of refresh starts and status checks, and their limits.
    var startAllowances: [String: HourlyAllowance] = [:]
    var checkAllowances: [String: HourlyAllowance] = [:]
    var siteLimits: [String: (starts: Int?, checks: Int?)] = [:]
    /// Connections whose Tableau webhooks are registered, and those whose deliveries stopped
    /// coming (polling took over until the next delivery).
    var webhookConnections: Set<String> = []
    var silentWebhooks: Set<String> = []
    /// Deliveries that found no watched job, per connection and item, with when they came: a
    /// refresh can end (and Tableau deliver) before its run has stored the job it waits on.
    var unmatchedDeliveries: [String: [String: Date]] = [:]
    /// Connections whose gateways this process used (signed out at shutdown when asked).
    var usedConnections: Set<String> = []
    private var watchers: [UUID: CheckedContinuation<Void, Never>] = [:]
    /// Bumped on every run change this process makes.
    private var changeGeneration = 0
    var stopped = false

    /// An engine over `store`, reading connections from `connections`, auditing to `audit` and
    /// reaching Tableau through `gateways` (called once per connection and process is best: the
    /// gateway shares one Tableau session).
    package init(
        store: any RunStore, connections: any ConnectionStore, audit: any AuditStore,
        gateways: @escaping @Sendable (Connection) async throws -> any RefreshGateway,
        configuration: RefreshEngineConfiguration = RefreshEngineConfiguration(), clock: any RunClock = SystemRunClock(),
        metrics: EngineMetrics = EngineMetrics(),
        logger: Logger = Logger(label: "freshet.runs", factory: { _ in SwiftLogNoOpLogHandler() })
    ) {
        self.metrics = metrics
        self.store = store
        self.connections = connections
        self.audit = audit
        auditBatcher = AuditBatcher(audit)
        self.gateways = gateways
        self.configuration = configuration
        self.clock = clock
        self.logger = logger
    }

    // MARK: Requests

    /// Resolves `request`'s targets and stores the whole request in one transaction — one run
    /// per item (or the run each item already has: an active refresh to join), its idempotency
    /// key bound to the request's fingerprint — before anything is triggered; then drives the
    /// new runs. A repeated key returns the request's runs without asking Tableau; the same key
    /// with a different request is refused (``RefreshRequestError/conflict(_:)``).
    ///
    /// `authorize` sees the connection and every resolved item (live ones included) before any
    /// run is stored and answers why the caller may not refresh it, or nil; any refusal fails the
    /// whole request with ``RefreshRequestError/forbidden(_:)``. An item given by id is first
    /// shown without its name and project (no Tableau call); only if that is refused is Tableau
    /// asked for them and `authorize` asked again.
    package func submit(
        _ request: RefreshRequest, actor: String,
        authorize: @Sendable (Connection, RefreshableItem) -> String? = { _, _ in nil }
    ) async throws(RefreshRequestError) -> RefreshSubmission {
        let connection = try await connection(request.connection)
        if let key = request.idempotencyKey, key.isEmpty || key.count > 200 {
            throw .invalid("The idempotency key must be 1 to 200 characters")
        }
        let fingerprint = request.fingerprint
        if let key = request.idempotencyKey {
            // A repeated request returns its runs without asking Tableau again.
            let earlier: StoredRequest?
            do { earlier = try await store.request(connectionId: connection.id, idempotencyKey: key) } catch {
                throw .storage("The runs could not be read: \(error)")
            }
            if let earlier { return try repeated(earlier, key: key, fingerprint: fingerprint) }
        }
        let gateway: any RefreshGateway
        do { gateway = try await gateways(connection) } catch { throw .tableau(GatewayError(message: "\(error)")) }
        usedConnections.insert(connection.id)
        let resolver = TargetResolver(gateway: gateway, cache: resolutions, connection: connection.id, now: clock.now())
        var resolution = try await resolver.resolve(request.targets, skippingTablesWithoutLineage: request.skipsTablesWithoutLineage)
        try await authorizeAll(&resolution, connection: connection, resolver: resolver, authorize: authorize)
        let now = clock.now()
        let runs = resolution.items.map { target, found in
            Run(
                connectionId: connection.id, target: target.description, item: found.item, projectName: found.projectName, actor: actor,
                idempotencyKey: request.idempotencyKey.map { "\($0)#\(found.item.contentType.rawValue):\(found.item.tableauId)" },
                deadline: request.timeout.map { now.addingTimeInterval($0.seconds) }, retryPolicy: request.retryPolicy, createdAt: now)
        }
        // Runs are stored already started while the connection has free job slots: the trigger
        // call then follows the answer with no further write (decision 0007, §5).
        let started =
            stopped
            ? nil
            : runs.map { run -> Run in
                var machine = RunStateMachine(run: run, backoff: configuration.backoff, now: now)
                _ = try? machine.handle(.start)
                return machine.run
            }
        let batch = RunBatch(
            connectionId: connection.id, idempotencyKey: request.idempotencyKey, fingerprint: fingerprint, runs: runs,
            leaseHolder: stopped ? nil : configuration.holder, leaseUntil: leaseEnd(), startedRuns: started,
            jobSlotLimit: configuration.maxTableauJobsPerConnection)
        let result: RunBatchResult
        do { result = try await store.submit(batch) } catch {
            // The commit may have happened with its answer lost (the database went away): its
            // runs would then be leased to this process with nobody driving them. The next lease
            // renewal that reaches the store drives those it finds (``droppedLeases``).
            if batch.leaseHolder != nil { dropLeases(runs.map(\.id)) }
            throw .storage("The runs could not be stored: \(error)")
        }
        switch result {
        case .existing(let earlier):
            // Another request with the same key was stored first.
            return try repeated(earlier, key: request.idempotencyKey ?? "", fingerprint: fingerprint)
        case .stored(let creations):
            for creation in creations {
                switch creation.disposition {
                case .created where creation.run.lease?.holder == configuration.holder:
                    if creation.run.state == .triggering { ownStarted(creation.run) } else { own(creation.run, event: .start) }
                default: await adoptIfAbandoned(creation.run)
                }
            }
            notifyChange()
            await recordAccepted(creations, actor: actor)
            return RefreshSubmission(runs: creations, liveItems: resolution.live)
        }
    }

    /// The answer to a repeated idempotency key: its runs, or a conflict when the request differs.
    private func repeated(_ earlier: StoredRequest, key: String, fingerprint: String) throws(RefreshRequestError) -> RefreshSubmission {
        if let stored = earlier.fingerprint, stored != fingerprint {
            throw .conflict(
                "The idempotency key \"\(key)\" was already used on this connection for a different request (other targets, timeout or "
                    + "retries); its runs are unchanged. Repeat the first request exactly, or use a new key for a new request")
        }
        for run in earlier.runs where !run.state.isTerminal && owned[run.id] == nil {
            Task { await self.adoptIfAbandoned(run) }
        }
        return RefreshSubmission(runs: earlier.runs.map { RunCreation(run: $0, disposition: .existingIdempotencyKey) }, liveItems: [])
    }

    /// Asks `authorize` about every item; an item known only by its id is looked up at Tableau
    /// (its name and project) only when the first answer is a refusal.
    private func authorizeAll(
        _ resolution: inout TargetResolver.Resolution, connection: Connection, resolver: TargetResolver,
        authorize: @Sendable (Connection, RefreshableItem) -> String?
    ) async throws(RefreshRequestError) {
        var refusals: [String] = []
        for index in resolution.items.indices {
            var found = resolution.items[index].item
            guard var refusal = authorize(connection, found) else { continue }
            if found.detailsUnknown, let detailed = try await resolver.details(of: found.item) {
                found = detailed
                resolution.items[index].item = detailed
                refusal = authorize(connection, detailed) ?? ""
                if refusal.isEmpty { continue }
            }
            refusals.append(refusal)
        }
        refusals += resolution.live.compactMap { authorize(connection, $0) }
        guard refusals.isEmpty else { throw .forbidden(refusals) }
    }

    private func recordAccepted(_ creations: [RunCreation], actor: String) async {
        let events = creations.compactMap { creation -> AuditEvent? in
            let action: String
            switch creation.disposition {
            case .created: action = "run.accepted"
            case .joinedActive: action = "run.joined"
            case .existingIdempotencyKey: return nil
            }
            return auditEvent(creation.run, action, actor: actor, ["target": creation.run.target])
        }
        await record(events)
    }

    /// The run with `id`, or nil.
    package func run(id: String) async throws -> Run? {
        try await store.run(id: id)
    }

    /// Runs matching `query`, newest first.
    package func runs(_ query: RunQuery) async throws -> [Run] {
        try await store.runs(query)
    }

    /// Cancels run `id` on behalf of `actor`: a run Tableau has not queued yet ends at once; a
    /// waiting run's Tableau job is cancelled and the run ends when Tableau confirms it.
    /// Returns the run as it stands; an ended run is returned unchanged.
    package func cancel(id: String, actor: String) async throws -> Run {
        guard let current = try await store.run(id: id) else { throw StoreError(.notFound, "No run with id \(id)") }
        guard !current.state.isTerminal else { return current }
        await record([auditEvent(current, "run.cancelRequested", actor: actor, [:])])
        guard let (run, actions) = try await apply(.cancelRequested, to: id) else { return try await store.run(id: id) ?? current }
        for action in actions {
            switch action {
            case .cancelJob(let jobId): await cancelJob(jobId, of: run)
            case .finish: await finished(run)
            default: break
            }
        }
        return run
    }

    /// Waits until every run in `ids` has ended (or satisfies `until`), or `limit` passes (nil:
    /// no limit); calls `onChange` with each run whenever it is seen in a new state. Runs whose
    /// driver died are taken over. Returns the runs as they stand.
    package func wait(
        for ids: [String], limit: Duration? = nil, until done: @escaping @Sendable (Run) -> Bool = { $0.state.isTerminal },
        onChange: @escaping @Sendable (Run) -> Void = { _ in }
    ) async throws -> [Run] {
        let end = limit.map { clock.now().addingTimeInterval($0.seconds) }
        var seen: [String: Int] = [:]
        while true {
            // Noted before reading, so that a change made while reading is not missed.
            let generation = changeGeneration
            var runs: [Run] = []
            for id in ids {
                guard let run = try await store.run(id: id) else { throw StoreError(.notFound, "No run with id \(id)") }
                runs.append(run)
                if seen[id] != run.version {
                    seen[id] = run.version
                    onChange(run)
                }
            }
            if runs.allSatisfy(done) { return runs }
            let now = clock.now()
            if let end, now >= end { return runs }
            for run in runs where !run.state.isTerminal { await adoptIfAbandoned(run) }
            var nap = configuration.watchInterval
            if let end { nap = min(nap, .milliseconds(Int64(max(1, end.timeIntervalSince(now) * 1000)))) }
            await nextChange(after: generation, within: nap)
            try Task.checkCancellation()
        }
    }

    /// Leases and starts driving every unfinished run whose lease is free or lapsed (after a
    /// restart, or when another process died). Returns how many this process took.
    @discardableResult
    package func recover() async throws -> Int {
        var taken = 0
        while !stopped {
            let runs = try await store.claimRuns(holder: configuration.holder, until: leaseEnd(), now: clock.now(), limit: 500)
            for run in runs { take(run) }
            taken += runs.count
            if runs.count < 500 { break }
        }
        return taken
    }

    /// One recovery sweep: reads when the next lease of another process lapses, then takes over
    /// every run whose lease is free or lapsed (``recover()``). In this order a lease that lapses
    /// between the two store calls is either taken (it lapsed before the claim) or the next lapse
    /// (it lapsed after the read) — never neither, which would leave its runs waiting one more
    /// sweep interval (seen as takeover at lease + 15 s).
    package func sweep() async throws -> (taken: Int, nextTakeover: Date?) {
        let next = try await nextTakeover()
        return (try await recover(), next)
    }

    /// When the next lease of another process lapses (its runs can then be taken over), or nil.
    package func nextTakeover() async throws -> Date? {
        try await store.nextLeaseExpiry(excluding: configuration.holder, now: clock.now())
    }

    /// Checks once with Tableau whether the job of waiting run `id` has ended, when no process
    /// drives the run, and records the outcome. Returns the run as it stands.
    package func poll(id: String) async throws -> Run? {
        guard let run = try await store.run(id: id) else { return nil }
        guard run.state == .waiting, let jobId = run.jobId, owned[id] == nil,
            try await store.claim(runId: id, holder: configuration.holder, until: leaseEnd(), now: clock.now())
        else { return run }
        defer { Task { await self.handBack(id) } }
        guard let gateway = try? await gateway(for: run), let outcome = try? await gateway.jobOutcome(jobId) else { return run }
        guard let (ended, actions) = try await apply(Self.event(for: outcome), to: id) else { return try await store.run(id: id) }
        if actions.contains(where: { if case .finish = $0 { true } else { false } }) { await finished(ended) }
        return ended
    }

    /// Stops driving runs: steps in progress finish (a trigger call runs to its end, so its job
    /// id is stored), then every lease is released at once so that another process (or the
    /// next start) takes the runs over without waiting for the leases to lapse. With `signOut`,
    /// the Tableau sessions this process used are signed out.
    package func shutdown(signOut: Bool = false) async {
        guard !stopped else { return }
        stopped = true
        timerTask?.cancel()
        renewalTask?.cancel()
        for worker in idleWorkers { worker.resume(returning: nil) }
        idleWorkers = []
        for task in workerTasks { await task.value }
        workerTasks = []
        // In a task of its own: a shutdown that comes from cancellation must still release them.
        let store = store
        let holder = configuration.holder
        do { try await Task { try await store.releaseLeases(holder: holder) }.value } catch {
            logger.warning("could not release run leases", metadata: ["error": "\(error)"])
        }
        owned = [:]
        watched = [:]
        parked = [:]
        if signOut {
            for connectionId in usedConnections {
                guard let stored = try? await connections.connection(id: connectionId), let gateway = try? await gateways(stored.connection)
                else { continue }
                await gateway.signOut()
            }
        }
        let waiting = settleWaiters
        settleWaiters = []
        for waiter in waiting { waiter.resume() }
        notifyChange()
    }

    /// Returns once no step is in progress or due (runs that wait on Tableau or on a timer do not
    /// count): every effect of a run that ended — its audit entry, its job's cancellation — is done.
    package func settle() async {
        guard !isQuiescent else { return }
        await withCheckedContinuation { settleWaiters.append($0) }
    }

    /// How many runs this process drives now.
    package func drivenCount() -> Int { owned.count }

    // MARK: Internals shared with driving

    func connection(_ nameOrId: String) async throws(RefreshRequestError) -> Connection {
        do {
            if let stored = try await connections.connection(named: nameOrId) { return stored.connection }
            if let stored = try await connections.connection(id: nameOrId) { return stored.connection }
        } catch {
            throw .storage("The connection could not be read: \(error)")
        }
        throw .unknownConnection(nameOrId)
    }

    func gateway(for run: Run) async throws -> any RefreshGateway {
        try await gateway(connectionId: run.connectionId)
    }

    func gateway(connectionId: String) async throws -> any RefreshGateway {
        guard let stored = try await connections.connection(id: connectionId) else {
            throw StoreError(.notFound, "The run's connection \(connectionId) no longer exists")
        }
        usedConnections.insert(connectionId)
        return try await gateways(stored.connection)
    }

    func leaseEnd() -> Date { clock.now().addingTimeInterval(configuration.leaseDuration.seconds) }

    /// Applies `event` to the stored run with compare-and-set, re-reading and re-applying when
    /// another writer got there first. Nil when the machine refuses the event (e.g. the run ended).
    /// `learned` fills in what Tableau told about the item (its name, for a run known only by id);
    /// a run that starts waiting on a job gets its expected end (``expectedEnd(of:after:)``).
    /// `known` is the run as the caller just read it (saves reading it again; a stale one only costs
    /// a second round, as the compare-and-set refuses it).
    func apply(_ event: RunEvent, to id: String, learned itemName: String? = nil, known: Run? = nil) async throws -> (Run, [RunAction])? {
        var known = known
        while true {
            let read: Run?
            if let run = known { read = run } else { read = try await store.run(id: id) }
            known = nil
            guard let current = read else { throw StoreError(.notFound, "No run with id \(id)") }
            var machine = RunStateMachine(run: current, backoff: configuration.backoff, now: clock.now())
            let actions: [RunAction]
            do {
                actions = try machine.handle(event)
            } catch {
                logger.debug("run event refused", metadata: ["run": "\(id)", "reason": "\(error)"])
                return nil
            }
            var next = machine.run
            if let itemName, !itemName.isEmpty, next.item.name == next.item.tableauId { next.item.name = itemName }
            if next.state == .waiting, current.state != .waiting, let end = expectedEnd(of: next, after: event) {
                next.attempts[next.attempts.count - 1].expectedEndAt = end
            }
            if let stored = try await store.transition(next, expectedVersion: current.version, now: clock.now()) {
                notifyChange()
                return (stored, actions)
            }
        }
    }

    static func event(for outcome: RefreshJobOutcome) -> RunEvent {
        switch outcome {
        case .succeeded: .jobSucceeded
        case .failed(let notes): .jobFailed(notes: notes)
        case .cancelled: .jobCancelled
        case .timedOut: .deadlinePassed
        }
    }

    func cancelJob(_ jobId: String, of run: Run) async {
        do {
            // Sent to its end even when this task is cancelled (e.g. at shutdown): once decided, a cancel is not lost.
            let gateway = try await gateway(for: run)
            let sent = await Task { () -> GatewayError? in
                do throws(GatewayError) { try await gateway.cancelJob(jobId) } catch { return error }
                return nil
            }.value
            if let sent { throw sent }
            await record([auditEvent(run, "run.jobCancelSent", actor: run.actor, ["job": jobId])])
        } catch {
            logger.warning("could not cancel Tableau job", metadata: ["run": "\(run.id)", "job": "\(jobId)", "error": "\(error)"])
        }
    }

    /// Audits a run that just ended and stops driving it.
    func finished(_ run: Run) async {
        var details = ["state": run.state.rawValue, "item": "\(run.item.contentType.noun) \(run.item.name)"]
        if let jobId = run.jobId { details["job"] = jobId }
        if let notes = run.notes { details["notes"] = notes }
        details["attempts"] = String(run.attempts.count)
        metrics.runFinished(outcome: run.state.rawValue, duration: clock.now().timeIntervalSince(run.createdAt))
        await record([auditEvent(run, "run.finished", actor: run.actor, details, outcome: run.state == .succeeded ? "success" : "failure")])
        disown(run.id, connectionId: run.connectionId)
    }

    func auditEvent(_ run: Run, _ action: String, actor: String, _ details: [String: String], outcome: String = "success") -> AuditEvent {
        var details = details
        details["connection"] = run.connectionId
        return AuditEvent(time: clock.now(), actor: actor, action: action, target: run.id, outcome: outcome, details: details)
    }

    /// Appends `events` to the audit log, to their end even when this task is cancelled.
    func record(_ events: [AuditEvent]) async {
        guard !events.isEmpty else { return }
        do {
            try await auditBatcher.append(events)
        } catch {
            logger.error(
                "could not write the audit log; the lines wait to be written again",
                metadata: ["action": "\(events[0].action)", "error": "\(error)", "dropped": "\(auditBatcher.droppedCount)"])
        }
    }

    // MARK: Change notification

    func notifyChange() {
        changeGeneration &+= 1
        let waiting = watchers
        watchers = [:]
        for continuation in waiting.values { continuation.resume() }
    }

    /// Returns at the next change this process sees after `generation` (``changeCount``; at once
    /// if one happened already), after `duration`, or when the waiting task is cancelled — so
    /// that what follows runs (the alert outbox, data quality warnings) acts when a run ends
    /// instead of at its next poll.
    package func nextChange(after generation: Int, within duration: Duration) async {
        guard generation == changeGeneration else { return }
        let key = UUID()
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                guard !Task.isCancelled else { return continuation.resume() }
                watchers[key] = continuation
                Task { [clock] in
                    try? await clock.sleep(for: duration)
                    self.stopWatching(key)
                }
            }
        } onCancel: {
            // Runs after the continuation is registered or sees the cancellation (both on the actor).
            Task { await self.stopWatching(key) }
        }
    }

    private func stopWatching(_ key: UUID) {
        watchers.removeValue(forKey: key)?.resume()
    }
}

extension RefreshEngine {
    /// Another process stored a run change (see ``RunChangeFeed``): waits look at their runs again now.
    package func runsChangedElsewhere() {
        notifyChange()
    }

    /// How many changes this process has seen: runs it changed, those reported by
    /// ``runsChangedElsewhere()`` and ``wakeFollowers()``. Note it before reading, then
    /// ``nextChange(after:within:)`` returns at the first change after it.
    package var changeCount: Int { changeGeneration }

    /// Something that follows runs changed without a run changing (a pipeline event, a stale
    /// transition with its alert): wakes the waits and the services that follow changes now.
    package func wakeFollowers() {
        notifyChange()
    }
}
