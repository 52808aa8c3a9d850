import Foundation
import Logging

/// Driving one run, one step at a time: feed its state machine one event, store the transition,
/// then carry out the actions the machine returns — each transition stored before its effect.
extension RefreshEngine {
    /// Handles `event` for run `id` (a worker calls this; never two steps of one run at once).
    func step(_ id: String, _ event: RunEvent) async {
        do {
            let known = owned[id]?.beforeTrigger
            owned[id]?.beforeTrigger = nil
            let read: Run?
            // A step that may trigger reads the run: its job slot is decided on what is stored.
            if let known, !Self.leadsToTrigger(event, known, backoff: configuration.backoff) {
                read = known
            } else {
                read = try await store.run(id: id)
            }
            guard var current = read, !current.state.isTerminal else {
                disown(id, connectionId: owned[id]?.connectionId ?? "")
                return
            }
            var event = event
            if let deadline = current.deadline, clock.now() >= deadline { event = .deadlinePassed }
            if Self.leadsToTrigger(event, current, backoff: configuration.backoff) {
                // A held site, or one whose hourly budget of starts is used up, gets no trigger call until then.
                if let (until, _) = await mayStart(id, connectionId: current.connectionId) {
                    scheduleRetry(id, event, after: until.timeIntervalSince(clock.now()))
                    return
                }
                // A run enters "triggering" only holding a job slot: the limit counts Tableau jobs.
                let limit = configuration.maxTableauJobsPerConnection
                if !current.holdsJobSlot {
                    guard try await store.acquireJobSlot(runId: id, connectionId: current.connectionId, limit: limit) else {
                        giveBackRefreshStart(current.connectionId)
                        park(id, connectionId: current.connectionId, event: event)
                        return
                    }
                    current.holdsJobSlot = true
                }
            }
            guard let (run, actions) = try await apply(event, to: id, learned: learnedNames.removeValue(forKey: id), known: current) else {
                await cancelOrphanedJob(after: event, runId: id)
                if let now = try await store.run(id: id), now.state.isTerminal { disown(id, connectionId: now.connectionId) }
                return
            }
            try await carryOut(actions, of: run)
        } catch {
            await drop(id, after: error)
        }
    }

    /// The trigger call of a run its request stored already started (triggering, first attempt
    /// pending, holding a job slot): no write comes before the call, and no read when `stored`
    /// is the run as its request stored it (nothing can end a run whose trigger may be in flight:
    /// a cancellation waits for the trigger's outcome).
    func triggerStarted(_ id: String, stored: Run?) async {
        do {
            let current: Run?
            if let stored { current = stored } else { current = try await store.run(id: id) }
            guard let run = current, !run.state.isTerminal else {
                disown(id, connectionId: owned[id]?.connectionId ?? "")
                return
            }
            guard RunStateMachine(run: run).isTriggerInFlight, run.attempts.count == 1, run.holdsJobSlot else {
                enqueue(id, run.state == .accepted ? .start : .resume)
                return
            }
            if let (until, reason) = await mayStart(id, connectionId: run.connectionId) {
                enqueue(id, .held(until: until, reason: reason))
                return
            }
            try await carryOut([.triggerRefresh], of: run)
        } catch {
            await drop(id, after: error)
        }
    }

    /// Stops driving run `id` after a step failed unexpectedly (the database away, an error of
    /// its own) and hands it back (``handBack(_:)``), so that it is driven again.
    private func drop(_ id: String, after error: any Error) async {
        logger.warning("stopped driving run", metadata: ["run": "\(id)", "error": "\(error)"])
        disown(id, connectionId: owned[id]?.connectionId ?? "")
        await handBack(id)
    }

    /// Releases this process's lease on run `id`, which it does not drive, so that a recovery
    /// sweep (this process's or another's) takes the run. When the release fails too (the
    /// database is away), the lease stays with this process, whose renewals would keep it
    /// forever: the run is remembered and driven again by the next renewal that reaches the
    /// store (``resumeDropped(held:)``).
    func handBack(_ id: String) async {
        do { try await store.release(runId: id, holder: configuration.holder) } catch { droppedLeases.insert(id) }
    }

    /// Carries out `actions` (cancellations first).
    private func carryOut(_ actions: [RunAction], of run: Run) async throws {
        for action in actions.sorted(by: { Self.order($0) < Self.order($1) }) {
            switch action {
            case .cancelJob(let jobId):
                await cancelJob(jobId, of: run)
            case .triggerRefresh:
                let next = await trigger(run)
                if case .jobQueued = next {} else if case .duplicateFound = next {} else if case .outcomeUnknown = next {} else {
                    // Nothing was queued: the slot is free for another run.
                    try await store.releaseJobSlot(runId: run.id)
                    wakeParked(run.connectionId, count: 1)
                }
                owned[run.id]?.beforeTrigger = run
                enqueue(run.id, next)
            case .reconcile(let since):
                if let hold = await currentHold(run.connectionId) {
                    scheduleRetry(run.id, .retryDue, after: hold.until.timeIntervalSince(clock.now()))
                } else if let next = await reconcile(run, since: since) {
                    enqueue(run.id, next)
                }
            case .waitForJob(let jobId):
                watch(
                    jobId, runId: run.id, connectionId: run.connectionId, item: run.item, createdAt: jobCreatedAt[run.id],
                    expectedEnd: run.attempts.last?.expectedEndAt)
            case .scheduleRetry(let delay):
                try await store.releaseJobSlot(runId: run.id)
                wakeParked(run.connectionId, count: 1)
                let attempt = run.attempts.last
                await record([
                    auditEvent(
                        run, "run.retryScheduled", actor: run.actor,
                        ["after": String(format: "%.1fs", delay), "attempt": String(attempt?.number ?? 0), "reason": attempt.map { "\($0.outcome)" } ?? ""])
                ])
                // A hold's end is Tableau's: jitter only lengthens it.
                let held = { if case .held? = attempt?.outcome { true } else { false } }()
                scheduleRetry(run.id, .retryDue, after: delay * (held ? 1 + abs(jitterFactor() - 1) : jitterFactor()))
            case .finish:
                await finished(run)
            }
        }
    }

    /// Whether `event` makes the machine call Tableau's refresh endpoint.
    static func leadsToTrigger(_ event: RunEvent, _ run: Run, backoff: TriggerBackoff) -> Bool {
        switch event {
        case .start, .resume, .retryDue:
            var machine = RunStateMachine(run: run, backoff: backoff)
            return (try? machine.handle(event))?.contains(.triggerRefresh) ?? false
        default:
            return false
        }
    }

    private static func order(_ action: RunAction) -> Int {
        if case .cancelJob = action { 0 } else { 1 }
    }

    /// Asks Tableau to refresh, once; the call runs to its end even if this task is cancelled,
    /// so its answer (a job id) is never lost. An answer that never came is reported as
    /// `outcomeUnknown`, never retried here.
    private func trigger(_ run: Run) async -> RunEvent {
        let gateway: any RefreshGateway
        do { gateway = try await self.gateway(for: run) } catch {
            return .transientFailure(message: "Freshet could not reach the connection: \(error)")
        }
        let item = run.item
        let result = await Task { () -> Result<TableauJob, GatewayError> in
            do throws(GatewayError) { return .success(try await gateway.triggerRefresh(item)) } catch { return .failure(error) }
        }.value
        let attempt = String(run.attempts.count)
        switch result {
        case .success(let job):
            if let createdAt = job.createdAt { jobCreatedAt[run.id] = createdAt }
            if let name = job.itemName { learnedNames[run.id] = name }
            await record([auditEvent(run, "run.triggered", actor: run.actor, ["job": job.id, "attempt": attempt])])
            return .jobQueued(jobId: job.id)
        case .failure(let error) where error.code == "409093":
            if let job = try? await gateway.activeRefreshJob(for: item) {
                if let createdAt = job.createdAt { jobCreatedAt[run.id] = createdAt }
                await record([auditEvent(run, "run.joinedTableauJob", actor: run.actor, ["job": job.id, "attempt": attempt])])
                return .duplicateFound(jobId: job.id)
            }
            return .transientFailure(
                message: "Tableau already has a refresh of this item queued (409093) and this account cannot see its job; trying again after it")
        case .failure(let error) where error.outcomeUnknown:
            if let (until, reason) = holdAsked(by: error) { await holdSite(run.connectionId, until: until, reason: reason) }
            await record([auditEvent(run, "run.triggerOutcomeUnknown", actor: run.actor, ["attempt": attempt, "error": error.message])])
            return .outcomeUnknown(message: error.message)
        case .failure(let error):
            if let (until, reason) = holdAsked(by: error) {
                let hold = await holdSite(run.connectionId, until: until, reason: reason)
                await record([auditEvent(run, "run.heldByTableau", actor: run.actor, ["until": hold.until.ISO8601Format(), "reason": hold.reason])])
                return .held(until: hold.until, reason: hold.reason)
            }
            if error.status == 404 { await resolutions.forget(connection: run.connectionId) }
            if error.isTransient { return .transientFailure(message: error.message) }
            return .triggerRejected(message: TableauFailureReason.explain(error.message, status: error.status, code: error.code))
        }
    }

    /// Looks for the job a trigger call with an unknown outcome may have queued. Nil when the
    /// lookup itself failed transiently (it is tried again after a pause).
    private func reconcile(_ run: Run, since: Date) async -> RunEvent? {
        do {
            let gateway = try await self.gateway(for: run)
            let from = since.addingTimeInterval(-configuration.reconcileMargin.seconds)
            let item = run.item
            let lookup = await Task { () -> Result<TableauJob?, GatewayError> in
                do throws(GatewayError) { return .success(try await gateway.refreshJob(for: item, createdSince: from)) } catch {
                    return .failure(error)
                }
            }.value
            let found: TableauJob?
            switch lookup {
            case .success(let job): found = job
            case .failure(let error) where error.isForbidden:
                // Decision 0007: without Query Jobs the lost answer cannot be checked; trigger again
                // (Tableau's 409093 still joins a job that is queued or running).
                return .noJobFound(message: "this account may not query Tableau's jobs, so Freshet triggers again")
            case .failure(let error): throw error
            }
            owned[run.id]?.reconcileFailures = 0
            guard let job = found else { return .noJobFound(message: "Tableau has no job for it, so Freshet triggers again") }
            if let createdAt = job.createdAt { jobCreatedAt[run.id] = createdAt }
            await record([auditEvent(run, "run.reconciled", actor: run.actor, ["job": job.id, "attempt": String(run.attempts.count)])])
            return .jobFound(jobId: job.id)
        } catch {
            let failures = (owned[run.id]?.reconcileFailures ?? 0) + 1
            owned[run.id]?.reconcileFailures = failures
            guard failures <= configuration.backoff.maxRetries else {
                owned[run.id]?.reconcileFailures = 0
                return .noJobFound(message: "Freshet could not check Tableau's jobs (\(error)), so it triggers again")
            }
            scheduleRetry(run.id, .retryDue, after: configuration.backoff.delay(beforeRetry: failures) * jitterFactor())
            return nil
        }
    }

    /// A job this process got from Tableau for a run that ended meanwhile is cancelled, so that
    /// nothing refreshes for a run that timed out or was cancelled.
    private func cancelOrphanedJob(after event: RunEvent, runId: String) async {
        let jobId: String
        switch event {
        case .jobQueued(let id), .jobFound(let id): jobId = id
        default: return
        }
        guard let run = try? await store.run(id: runId), run.jobId != jobId, run.state == .cancelled || run.state == .timedOut else { return }
        await cancelJob(jobId, of: run)
    }

    /// When the job `run` starts waiting on after `event` is expected to end: queued now (or,
    /// for a job someone else queued or one found by reconciliation, when Tableau created it)
    /// plus the first check of the item's recent durations. Nil before one of its refreshes ended.
    func expectedEnd(of run: Run, after event: RunEvent) -> Date? {
        guard !run.attempts.isEmpty,
            let expected = durations.expected(for: RefreshDurations.key(run.connectionId, run.item))
        else { return nil }
        let now = clock.now()
        var start = now
        switch event {
        case .duplicateFound, .jobFound: start = min(now, jobCreatedAt[run.id] ?? now)
        default: break
        }
        return max(start.addingTimeInterval(configuration.polling.firstCheck(expected: expected)), now)
    }
}
