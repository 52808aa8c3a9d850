import Foundation
import Logging

/// Runs refreshes: accepts requests as durable runs, drives each run through its
/// ``RunStateMachine`` (writing every transition to the store before carrying out its effect),
/// and lets callers watch and cancel runs — including runs another process drives.
///
/// Several processes may share one store: a run is driven by whichever process holds its lease;
/// watchers take over runs whose lease lapsed (their driver died). Requests for an item that is
/// already being refreshed join that run; a repeated idempotency key returns the same runs.
public actor RefreshEngine {
    let store: any RunStore
    let connections: any ConnectionStore
    let audit: any AuditStore
    let gateways: @Sendable (Connection) async throws -> any RefreshGateway
    let configuration: RefreshEngineConfiguration
    let clock: any RunClock
    let logger: Logger
    let limiter: RefreshLimiter
    let metrics: any MetricsRecorder
    /// Recent target resolutions (5 s), so that a burst of requests asks Tableau once.
    let resolutions = ResolutionCache(lifetime: 5)

    /// The runs this process drives now.
    var drivers: [String: Task<Void, Never>] = [:]
    /// Creation times of jobs this process triggered (they let job polling batch from the start).
    var jobCreatedAt: [String: Date] = [:]
    private var watchers: [UUID: CheckedContinuation<Void, Never>] = [:]
    /// Bumped on every run change this process makes.
    private var changeGeneration = 0
    private var stopped = false

    /// An engine over `store`, reading connections from `connections`, auditing to `audit` and
    /// reaching Tableau through `gateways` (called once per connection and process is best: the
    /// gateway batches job polling).
    public init(
        store: any RunStore, connections: any ConnectionStore, audit: any AuditStore,
        gateways: @escaping @Sendable (Connection) async throws -> any RefreshGateway,
        configuration: RefreshEngineConfiguration = RefreshEngineConfiguration(), clock: any RunClock = SystemRunClock(),
        metrics: any MetricsRecorder = NoMetrics(),
        logger: Logger = Logger(label: "freshet.runs", factory: { _ in SwiftLogNoOpLogHandler() })
    ) {
        self.metrics = metrics
        self.store = store
        self.connections = connections
        self.audit = audit
        self.gateways = gateways
        self.configuration = configuration
        self.clock = clock
        self.logger = logger
        self.limiter = RefreshLimiter(limit: configuration.maxConcurrentRefreshesPerConnection)
    }

    // MARK: Requests

    /// Resolves `request`'s targets, stores one run per item (or returns the run each item
    /// already has: same idempotency key, or an active refresh to join) and starts driving them.
    ///
    /// `authorize` sees the connection and every resolved item (live ones included) before any
    /// run is stored and answers why the caller may not refresh it, or nil; any refusal fails the
    /// whole request with ``RefreshRequestError/forbidden(_:)``.
    public func submit(
        _ request: RefreshRequest, actor: String,
        authorize: @Sendable (Connection, RefreshableItem) -> String? = { _, _ in nil }
    ) async throws(RefreshRequestError) -> RefreshSubmission {
        let connection = try await connection(request.connection)
        if let key = request.idempotencyKey, key.isEmpty || key.count > 200 {
            throw .invalid("The idempotency key must be 1 to 200 characters")
        }
        if let key = request.idempotencyKey {
            // A repeated request returns its runs without asking Tableau again.
            let earlier: [Run]
            do { earlier = try await store.runs(connectionId: connection.id, idempotencyKey: key) } catch {
                throw .invalid("The runs could not be read: \(error)")
            }
            if !earlier.isEmpty {
                for run in earlier where !run.state.isTerminal { drive(run.id) }
                return RefreshSubmission(runs: earlier.map { RunCreation(run: $0, disposition: .existingIdempotencyKey) }, liveItems: [])
            }
        }
        let gateway: any RefreshGateway
        do { gateway = try await gateways(connection) } catch { throw .tableau(GatewayError(message: "\(error)")) }
        let resolution = try await TargetResolver(gateway: gateway, cache: resolutions, connection: connection.id, now: clock.now())
            .resolve(request.targets)
        let refusals = (resolution.items.map(\.item) + resolution.live).compactMap { authorize(connection, $0) }
        guard refusals.isEmpty else { throw .forbidden(refusals) }
        let now = clock.now()
        var creations: [RunCreation] = []
        for (target, found) in resolution.items {
            let run = Run(
                connectionId: connection.id, target: target.description, item: found.item, projectName: found.projectName, actor: actor,
                idempotencyKey: request.idempotencyKey.map { "\($0)#\(found.item.contentType.rawValue):\(found.item.tableauId)" },
                deadline: request.timeout.map { now.addingTimeInterval($0.seconds) }, retryPolicy: request.retryPolicy, createdAt: now)
            do {
                let creation = try await store.create(run, joiningActive: true)
                creations.append(creation)
                switch creation.disposition {
                case .created: await record(creation.run, "run.accepted", actor: actor, ["target": target.description])
                case .joinedActive: await record(creation.run, "run.joined", actor: actor, ["target": target.description])
                case .existingIdempotencyKey: break
                }
            } catch {
                throw .invalid("The run could not be stored: \(error)")
            }
        }
        for creation in creations where !creation.run.state.isTerminal { drive(creation.run.id) }
        return RefreshSubmission(runs: creations, liveItems: resolution.live)
    }

    /// The run with `id`, or nil.
    public func run(id: String) async throws -> Run? {
        try await store.run(id: id)
    }

    /// Runs matching `query`, newest first.
    public func runs(_ query: RunQuery) async throws -> [Run] {
        try await store.runs(query)
    }

    /// Cancels run `id` on behalf of `actor`: a run Tableau has not queued yet ends at once; a
    /// waiting run's Tableau job is cancelled and the run ends when Tableau confirms it.
    /// Returns the run as it stands; an ended run is returned unchanged.
    public func cancel(id: String, actor: String) async throws -> Run {
        guard let current = try await store.run(id: id) else { throw StoreError("No run with id \(id)") }
        guard !current.state.isTerminal else { return current }
        await record(current, "run.cancelRequested", actor: actor, [:])
        guard let (run, actions) = try await apply(.cancelRequested, to: id) else { return try await store.run(id: id) ?? current }
        for action in actions {
            switch action {
            case .cancelJob(let jobId): await cancelJob(jobId, of: run)
            case .finish: await finished(run)
            default: break
            }
        }
        if run.state.isTerminal { drivers[id]?.cancel() }
        return run
    }

    /// Waits until every run in `ids` has ended (or satisfies `until`), or `limit` passes (nil:
    /// no limit); calls `onChange` with each run whenever it is seen in a new state. Runs whose
    /// driver died are taken over. Returns the runs as they stand.
    public func wait(
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
                guard let run = try await store.run(id: id) else { throw StoreError("No run with id \(id)") }
                runs.append(run)
                if seen[id] != run.version {
                    seen[id] = run.version
                    onChange(run)
                }
            }
            if runs.allSatisfy(done) { return runs }
            let now = clock.now()
            if let end, now >= end { return runs }
            for run in runs where !run.state.isTerminal && (run.lease.map { $0.until <= now } ?? true) { drive(run.id) }
            var nap = configuration.watchInterval
            if let end { nap = min(nap, .milliseconds(Int64(max(1, end.timeIntervalSince(now) * 1000)))) }
            await nextChange(after: generation, within: nap)
            try Task.checkCancellation()
        }
    }

    /// Starts driving every unfinished run whose lease is free or lapsed (after a restart, or
    /// periodically in a server). Returns how many this process took.
    @discardableResult
    public func recover() async throws -> Int {
        let now = clock.now()
        var taken = 0
        for run in try await store.nonTerminalRuns() where drivers[run.id] == nil && (run.lease.map { $0.until <= now } ?? true) {
            drive(run.id)
            taken += 1
        }
        return taken
    }

    /// Checks once with Tableau whether the job of waiting run `id` has ended, when no process
    /// drives the run, and records the outcome. Returns the run as it stands.
    public func poll(id: String) async throws -> Run? {
        guard let run = try await store.run(id: id) else { return nil }
        guard run.state == .waiting, let jobId = run.jobId, drivers[id] == nil,
            try await store.claim(runId: id, holder: configuration.holder, until: leaseEnd(), now: clock.now())
        else { return run }
        defer { Task { try? await self.store.release(runId: id, holder: self.configuration.holder) } }
        guard let gateway = try? await gateway(for: run), let outcome = try? await gateway.jobOutcome(jobId) else { return run }
        guard let (ended, actions) = try await apply(Self.event(for: outcome, deadline: run.deadline), to: id) else { return try await store.run(id: id) }
        if actions.contains(where: { if case .finish = $0 { true } else { false } }) { await finished(ended) }
        return ended
    }

    /// Stops driving runs (their leases are released; they stay durable and resume elsewhere or
    /// on the next start).
    public func shutdown() async {
        stopped = true
        let tasks = drivers
        for task in tasks.values { task.cancel() }
        for task in tasks.values { await task.value }
    }

    /// Returns once the drivers running now have stopped on their own (their runs ended or
    /// moved to another process), without stopping them.
    public func settle() async {
        for task in Array(drivers.values) { await task.value }
    }

    /// How many runs this process drives now.
    public func drivenCount() -> Int { drivers.count }

    // MARK: Internals shared with driving

    func connection(_ nameOrId: String) async throws(RefreshRequestError) -> Connection {
        do {
            if let stored = try await connections.connection(named: nameOrId) { return stored.connection }
            if let stored = try await connections.connection(id: nameOrId) { return stored.connection }
        } catch {
            throw .invalid("The connection could not be read: \(error)")
        }
        throw .unknownConnection(nameOrId)
    }

    func gateway(for run: Run) async throws -> any RefreshGateway {
        guard let stored = try await connections.connection(id: run.connectionId) else {
            throw StoreError("The run's connection \(run.connectionId) no longer exists")
        }
        return try await gateways(stored.connection)
    }

    func leaseEnd() -> Date { clock.now().addingTimeInterval(configuration.leaseDuration.seconds) }

    /// Starts a driver for run `id` unless this process already drives it or is stopping.
    func drive(_ id: String) {
        guard drivers[id] == nil, !stopped else { return }
        drivers[id] = Task { await self.driveRun(id) }
    }

    func driverEnded(_ id: String) {
        drivers[id] = nil
        jobCreatedAt[id] = nil
    }

    /// Applies `event` to the stored run with compare-and-set, re-reading and re-applying when
    /// another writer got there first. Nil when the machine refuses the event (e.g. the run ended).
    func apply(_ event: RunEvent, to id: String) async throws -> (Run, [RunAction])? {
        while true {
            guard let current = try await store.run(id: id) else { throw StoreError("No run with id \(id)") }
            var machine = RunStateMachine(run: current, backoff: configuration.backoff)
            let actions: [RunAction]
            do {
                actions = try machine.handle(event)
            } catch {
                logger.debug("run event refused", metadata: ["run": "\(id)", "reason": "\(error)"])
                return nil
            }
            if let stored = try await store.transition(machine.run, expectedVersion: current.version, now: clock.now()) {
                notifyChange()
                return (stored, actions)
            }
        }
    }

    static func event(for outcome: RefreshJobOutcome, deadline: Date?) -> RunEvent {
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
            await record(run, "run.jobCancelSent", actor: run.actor, ["job": jobId])
        } catch {
            logger.warning("could not cancel Tableau job", metadata: ["run": "\(run.id)", "job": "\(jobId)", "error": "\(error)"])
        }
    }

    /// Audits a run that just ended.
    func finished(_ run: Run) async {
        var details = ["state": run.state.rawValue, "item": "\(run.item.contentType.noun) \(run.item.name)"]
        if let jobId = run.jobId { details["job"] = jobId }
        if let notes = run.notes { details["notes"] = notes }
        details["attempts"] = String(run.attempts.count)
        metrics.runFinished(outcome: run.state.rawValue, duration: clock.now().timeIntervalSince(run.createdAt))
        await record(run, "run.finished", actor: run.actor, details, outcome: run.state == .succeeded ? "success" : "failure")
    }

    func record(_ run: Run, _ action: String, actor: String, _ details: [String: String], outcome: String = "success") async {
        var details = details
        details["connection"] = run.connectionId
        let event = AuditEvent(time: clock.now(), actor: actor, action: action, target: run.id, outcome: outcome, details: details)
        // Written to its end even when this task is cancelled (e.g. at shutdown).
        let audit = audit
        do {
            try await Task { try await audit.append(event) }.value
        } catch {
            logger.error("could not write the audit log", metadata: ["action": "\(action)", "error": "\(error)"])
        }
    }

    // MARK: Change notification

    func notifyChange() {
        changeGeneration &+= 1
        let waiting = watchers
        watchers = [:]
        for continuation in waiting.values { continuation.resume() }
    }

    /// Returns at the next run change this process sees after `generation` (at once if one
    /// happened already), after `duration`, or when the waiting task is cancelled.
    private func nextChange(after generation: Int, within duration: Duration) async {
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
