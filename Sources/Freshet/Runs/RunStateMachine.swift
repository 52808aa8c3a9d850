package import Foundation

/// The rules of a refresh run, as a pure value: it holds a ``Run``, takes ``RunEvent``s and
/// answers with the ``RunAction``s the executor must carry out — after writing ``run`` to the
/// store (compare-and-set), so that every transition is durable before its effect happens.
///
/// | state | event | next state | actions |
/// | --- | --- | --- | --- |
/// | accepted | start, resume | triggering | triggerRefresh |
/// | accepted | cancelRequested | cancelled | finish |
/// | triggering (call in flight) | jobQueued, duplicateFound | waiting | waitForJob (+ cancelJob if cancel was requested) |
/// | triggering (call in flight) | transientFailure | triggering / failed | scheduleRetry(backoff) / finish when retries are exhausted or cancel was requested |
/// | triggering (call in flight) | triggerRejected | failed | finish (cancelled instead when cancel was requested) |
/// | triggering (call in flight) | held(until) | triggering | scheduleRetry(until the hold ends); cancelled when cancel was requested |
/// | triggering (call in flight) | outcomeUnknown | triggering (outcome unknown) | reconcile(since: attempt start) |
/// | triggering (call in flight) | cancelRequested | triggering | none: remembered until the call answers |
/// | triggering (call in flight) | resume | triggering (outcome unknown) | reconcile: the process died mid-call |
/// | triggering (outcome unknown) | resume, retryDue | triggering | reconcile |
/// | triggering (outcome unknown) | jobFound | waiting | waitForJob (+ cancelJob if cancel was requested) |
/// | triggering (outcome unknown) | noJobFound | triggering / failed / cancelled | like transientFailure: scheduleRetry / finish |
/// | triggering (outcome unknown) | cancelRequested | triggering | none: remembered until reconciliation answers |
/// | triggering (retry scheduled) | retryDue, resume | triggering | triggerRefresh |
/// | triggering (retry scheduled) | cancelRequested | cancelled | finish |
/// | waiting | jobSucceeded | succeeded | finish |
/// | waiting | jobFailed | failed / triggering | finish / scheduleRetry(policy delay) when the run asked for retries |
/// | waiting | jobCancelled | cancelled | finish |
/// | waiting | held(until) | triggering | scheduleRetry(until the hold ends): the job was cancelled for lack of capacity |
/// | waiting | cancelRequested | waiting | cancelJob (nothing if already requested) |
/// | waiting | resume | waiting | waitForJob (+ cancelJob if cancel was requested) — never triggerRefresh |
/// | any non-terminal | deadlinePassed | timedOut | cancelJob when waiting, finish |
///
/// Everything else, and every event in a terminal state, is refused with ``RunTransitionError``.
package struct RunStateMachine: Sendable, Equatable {
    /// The run as the last transition left it.
    package private(set) var run: Run
    /// Delays and limit for retrying trigger calls that failed transiently.
    package let backoff: TriggerBackoff
    /// The time new attempts record as their start.
    package let now: Date

    /// A machine for `run` (in any state, e.g. as read back from the store) at time `now`
    /// (default: the run's last write).
    package init(run: Run, backoff: TriggerBackoff = TriggerBackoff(), now: Date? = nil) {
        self.run = run
        self.backoff = backoff
        self.now = now ?? run.updatedAt
    }

    /// Whether a trigger call is in flight: triggering, and the last attempt has no outcome yet.
    package var isTriggerInFlight: Bool {
        run.state == .triggering && run.attempts.last?.outcome == .pending
    }

    /// Whether the last trigger call's outcome is unknown and must be reconciled before anything else.
    package var needsReconciliation: Bool {
        guard run.state == .triggering, case .unknown = run.attempts.last?.outcome else { return false }
        return true
    }

    /// Applies `event`; returns the actions to carry out, in order.
    /// - Throws: ``RunTransitionError`` when `event` is not allowed now; the run is unchanged.
    package mutating func handle(_ event: RunEvent) throws(RunTransitionError) -> [RunAction] {
        let state = run.state
        guard !state.isTerminal else {
            throw RunTransitionError(state: state, event: event, reason: "the run has already ended")
        }
        func refuse(_ reason: String) -> RunTransitionError { RunTransitionError(state: state, event: event, reason: reason) }
        switch (state, event) {
        case (_, .deadlinePassed):
            let jobId = state == .waiting ? run.jobId : nil
            endAttempt(.timedOut)
            return (jobId.map { [.cancelJob(jobId: $0)] } ?? []) + finish(.timedOut, notes: "The run's deadline passed")

        case (.accepted, .start), (.accepted, .resume):
            return beginAttempt()
        case (.accepted, .cancelRequested):
            return finish(.cancelled, notes: nil)
        case (.accepted, _):
            throw refuse("the run has not been started")

        case (.triggering, .jobQueued(let jobId)), (.triggering, .duplicateFound(let jobId)):
            guard isTriggerInFlight else { throw refuse("no trigger call is in flight") }
            run.attempts[run.attempts.count - 1].jobId = jobId
            if case .duplicateFound = event { run.attempts[run.attempts.count - 1].joinedExisting = true }
            run.jobId = jobId
            run.state = .waiting
            return [.waitForJob(jobId: jobId)] + (run.cancelRequested ? [.cancelJob(jobId: jobId)] : [])
        case (.triggering, .transientFailure(let message)):
            guard isTriggerInFlight else { throw refuse("no trigger call is in flight") }
            return retryOrFail(message)
        case (.triggering, .outcomeUnknown(let message)):
            guard isTriggerInFlight else { throw refuse("no trigger call is in flight") }
            endAttempt(.unknown(message: message))
            return [reconcileAction()]
        case (.triggering, .jobFound(let jobId)):
            guard needsReconciliation else { throw refuse("no trigger outcome is being reconciled") }
            let last = run.attempts.count - 1
            run.attempts[last].outcome = .pending
            run.attempts[last].jobId = jobId
            run.attempts[last].reconciled = true
            run.jobId = jobId
            run.state = .waiting
            return [.waitForJob(jobId: jobId)] + (run.cancelRequested ? [.cancelJob(jobId: jobId)] : [])
        case (.triggering, .noJobFound(let message)):
            guard needsReconciliation, case .unknown(let lost) = run.attempts.last?.outcome else {
                throw refuse("no trigger outcome is being reconciled")
            }
            run.attempts[run.attempts.count - 1].outcome = .pending
            return retryOrFail("\(lost); \(message)")
        case (.triggering, .triggerRejected(let message)):
            guard isTriggerInFlight else { throw refuse("no trigger call is in flight") }
            endAttempt(.failed(notes: message))
            return run.cancelRequested ? finish(.cancelled, notes: nil) : finish(.failed, notes: message)
        case (.triggering, .held(let until, let reason)):
            guard isTriggerInFlight else { throw refuse("no trigger call is in flight") }
            return hold(until: until, reason: reason)
        case (.triggering, .retryDue):
            if needsReconciliation { return [reconcileAction()] }
            guard !isTriggerInFlight else { throw refuse("a trigger call is already in flight") }
            return beginAttempt()
        case (.triggering, .resume):
            if needsReconciliation { return [reconcileAction()] }
            guard isTriggerInFlight else { return beginAttempt() }
            // The process died mid-call: the call may have queued a job.
            endAttempt(.unknown(message: "Freshet stopped while the trigger call was in flight"))
            return [reconcileAction()]
        case (.triggering, .cancelRequested):
            guard isTriggerInFlight || needsReconciliation else { return finish(.cancelled, notes: nil) }
            run.cancelRequested = true
            return []
        case (.triggering, _):
            throw refuse("Tableau has no job for this run yet")

        case (.waiting, .jobSucceeded):
            endAttempt(.succeeded)
            return finish(.succeeded, notes: nil)
        case (.waiting, .jobFailed(let notes)):
            endAttempt(.failed(notes: notes))
            let failures = run.attempts.filter { if case .failed = $0.outcome { true } else { false } }.count
            guard failures < run.retryPolicy.maxAttempts, !run.cancelRequested else { return finish(.failed, notes: notes) }
            run.state = .triggering
            run.jobId = nil
            return [.scheduleRetry(after: run.retryPolicy.delay)]
        case (.waiting, .held(let until, let reason)):
            run.state = .triggering
            run.jobId = nil
            return hold(until: until, reason: reason)
        case (.waiting, .jobCancelled):
            endAttempt(.cancelled)
            return finish(.cancelled, notes: nil)
        case (.waiting, .cancelRequested):
            guard !run.cancelRequested, let jobId = run.jobId else { return [] }
            run.cancelRequested = true
            return [.cancelJob(jobId: jobId)]
        case (.waiting, .resume):
            guard let jobId = run.jobId else { throw refuse("the run has no Tableau job id to wait for") }
            return [.waitForJob(jobId: jobId)] + (run.cancelRequested ? [.cancelJob(jobId: jobId)] : [])
        case (.waiting, _):
            throw refuse("the run is waiting for Tableau job \(run.jobId ?? "?")")

        default:
            throw refuse("the run has already ended")
        }
    }

    private mutating func beginAttempt() -> [RunAction] {
        run.state = .triggering
        run.jobId = nil
        run.attempts.append(RunAttempt(number: run.attempts.count + 1, startedAt: now))
        return [.triggerRefresh]
    }

    /// Reconcile the last attempt: look for jobs created since it began.
    private func reconcileAction() -> RunAction {
        .reconcile(since: run.attempts.last?.startedAt ?? run.updatedAt)
    }

    /// The last attempt queued nothing: retry with backoff, or fail once retries are exhausted.
    private mutating func retryOrFail(_ message: String) -> [RunAction] {
        endAttempt(.transientFailure(message: message))
        if run.cancelRequested { return finish(.cancelled, notes: nil) }
        let failures = run.attempts.reversed().prefix { if case .transientFailure = $0.outcome { true } else { false } }.count
        guard failures <= backoff.maxRetries else {
            return finish(.failed, notes: "The refresh could not be triggered after \(failures) tries: \(message)")
        }
        return [.scheduleRetry(after: backoff.delay(beforeRetry: failures))]
    }

    /// The last attempt was held by Tableau: trigger again when the hold ends (cancelled instead
    /// when cancel was requested). Holds never count as failures.
    private mutating func hold(until: Date, reason: String) -> [RunAction] {
        endAttempt(.held(until: until, reason: reason))
        if run.cancelRequested { return finish(.cancelled, notes: nil) }
        return [.scheduleRetry(after: max(0, until.timeIntervalSince(now)))]
    }

    /// Gives the last attempt its outcome if it has none yet.
    private mutating func endAttempt(_ outcome: RunAttempt.Outcome) {
        guard let last = run.attempts.indices.last, run.attempts[last].outcome == .pending else { return }
        run.attempts[last].outcome = outcome
    }

    private mutating func finish(_ state: RunState, notes: String?) -> [RunAction] {
        if state == .cancelled { endAttempt(.cancelled) }
        run.state = state
        if let notes { run.notes = notes }
        return [.finish(state)]
    }
}
