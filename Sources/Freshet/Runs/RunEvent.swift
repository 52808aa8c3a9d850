package import Foundation

/// Something that happened to a run, told to ``RunStateMachine/handle(_:)`` by the executor.
/// Which events each state accepts is listed on the ``RunState`` cases.
package enum RunEvent: Sendable, Equatable, Hashable, CustomStringConvertible {
    /// The executor starts driving an accepted run.
    case start
    /// A process (re)takes a run after a restart or a lost lease: waiting runs resume waiting,
    /// runs that had not reached Tableau are triggered.
    case resume
    /// Tableau accepted the refresh and queued job `jobId`.
    case jobQueued(jobId: String)
    /// Tableau answered 409093 (the item is already being refreshed) and Freshet found that job,
    /// `jobId`: the run joins it instead of triggering another.
    case duplicateFound(jobId: String)
    /// The trigger call failed in a way worth retrying and certainly queued nothing (Tableau
    /// refused it with 429, or the connection was never made).
    case transientFailure(message: String)
    /// The trigger call may have reached Tableau but its answer was lost (dropped connection,
    /// timeout, 5xx): the run reconciles before anything else.
    case outcomeUnknown(message: String)
    /// Reconciliation found job `jobId`, created by Tableau for the item since the attempt began.
    case jobFound(jobId: String)
    /// Reconciliation found no job for the attempt (or could not look: `message` says which),
    /// so triggering again cannot refresh twice.
    case noJobFound(message: String)
    /// Tableau refused the trigger call for good (the item is live, gone, or not the caller's to
    /// refresh), with Tableau's message: the run fails without retrying.
    case triggerRejected(message: String)
    /// Tableau asked to be left alone until `until` (a 429 naming a wait, its daily refresh
    /// capacity used up), for `reason`: the trigger call or job queued nothing that counts, and the
    /// run triggers again after the hold — never a failure, never a retry counted against it.
    case held(until: Date, reason: String)
    /// A retry scheduled by ``RunAction/scheduleRetry(after:)`` is due.
    case retryDue
    /// Tableau reports the job finished successfully.
    case jobSucceeded
    /// Tableau reports the job failed, with its notes.
    case jobFailed(notes: String?)
    /// Tableau reports the job was cancelled.
    case jobCancelled
    /// A caller asked to cancel the run.
    case cancelRequested
    /// The run's deadline passed.
    case deadlinePassed

    /// The event's name and values, for messages.
    package var description: String {
        switch self {
        case .start: "start"
        case .resume: "resume"
        case .jobQueued(let jobId): "jobQueued(\(jobId))"
        case .duplicateFound(let jobId): "duplicateFound(\(jobId))"
        case .transientFailure(let message): "transientFailure(\(message))"
        case .outcomeUnknown(let message): "outcomeUnknown(\(message))"
        case .jobFound(let jobId): "jobFound(\(jobId))"
        case .noJobFound(let message): "noJobFound(\(message))"
        case .triggerRejected(let message): "triggerRejected(\(message))"
        case .held(let until, let reason): "held(until \(until.ISO8601Format()): \(reason))"
        case .retryDue: "retryDue"
        case .jobSucceeded: "jobSucceeded"
        case .jobFailed(let notes): "jobFailed(\(notes ?? "no notes"))"
        case .jobCancelled: "jobCancelled"
        case .cancelRequested: "cancelRequested"
        case .deadlinePassed: "deadlinePassed"
        }
    }
}

/// What the executor must do after a transition, in order. The executor first writes the run
/// (``RunStateMachine/run``) to the store, then carries out the actions.
package enum RunAction: Sendable, Equatable, Hashable {
    /// Ask Tableau to refresh the run's item; answer with `jobQueued`, `duplicateFound`,
    /// `transientFailure`, `outcomeUnknown` or `triggerRejected`. Never retried blindly.
    case triggerRefresh
    /// Look for a refresh job of the run's item that Tableau created at or after `since` (any
    /// state, confirmed by the job's item id); answer with `jobFound` or `noJobFound`.
    case reconcile(since: Date)
    /// Wait for Tableau job `jobId`; answer with `jobSucceeded`, `jobFailed` or `jobCancelled`.
    case waitForJob(jobId: String)
    /// Ask Tableau to cancel job `jobId`.
    case cancelJob(jobId: String)
    /// Send `retryDue` after `after` seconds (the executor may add jitter).
    case scheduleRetry(after: Double)
    /// The run ended in `state` (terminal): tell whoever waits on it, write the audit entry.
    case finish(RunState)
}

/// A transition the state machine refuses.
package struct RunTransitionError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The state the run was in.
    package let state: RunState
    /// The refused event.
    package let event: RunEvent
    /// Why it is refused.
    package let reason: String

    /// An error for `event` in `state`, because of `reason`.
    package init(state: RunState, event: RunEvent, reason: String) {
        self.state = state
        self.event = event
        self.reason = reason
    }

    /// "Cannot handle jobQueued(j1) in state waiting: …".
    package var description: String { "Cannot handle \(event) in state \(state): \(reason)" }
}
