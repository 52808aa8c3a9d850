/// Where a refresh run stands. A run moves forward only:
/// `accepted → triggering → waiting → succeeded | failed | cancelled | timedOut`, with
/// `waiting → triggering` only when a Tableau-reported failure is retried because the run asked
/// for retries. ``RunStateMachine`` holds the full transition table.
package enum RunState: String, Sendable, Equatable, Hashable, Codable, CaseIterable, CustomStringConvertible {
    /// Written to the store, not yet sent to Tableau.
    /// Next: `start`/`resume` → ``triggering``; `cancelRequested` → ``cancelled``;
    /// `deadlinePassed` → ``timedOut``.
    case accepted
    /// Asking Tableau to refresh: a trigger call is in flight, or a retry of it is scheduled
    /// (after a transient failure, or after a Tableau-reported failure the run asked to retry).
    /// No Tableau job id is recorded in this state.
    /// Next: `jobQueued`/`duplicateFound` → ``waiting``; `transientFailure` → ``triggering``
    /// (retry scheduled) or ``failed`` (retries exhausted); `triggerRejected` → ``failed``; `retryDue`/`resume` → ``triggering``
    /// (new attempt); `cancelRequested` → ``cancelled`` (or remembered until the in-flight call
    /// answers); `deadlinePassed` → ``timedOut``.
    case triggering
    /// Tableau's job id is recorded; Freshet waits for the job to finish and never triggers this
    /// attempt again. Next: `jobSucceeded` → ``succeeded``; `jobFailed` → ``failed`` or
    /// ``triggering`` (retry asked for); `jobCancelled` → ``cancelled``; `cancelRequested` →
    /// ``waiting`` (cancel sent to Tableau); `resume` → ``waiting``; `deadlinePassed` → ``timedOut``.
    case waiting
    /// Terminal: Tableau reported the job finished successfully.
    case succeeded
    /// Terminal: Tableau reported the job failed (its notes are kept), or the trigger kept failing.
    case failed
    /// Terminal: cancelled by a caller, or the Tableau job was cancelled.
    case cancelled
    /// Terminal: the run's deadline passed before it finished (its Tableau job is cancelled).
    case timedOut

    /// Whether nothing can happen to the run any more.
    package var isTerminal: Bool {
        switch self {
        case .accepted, .triggering, .waiting: false
        case .succeeded, .failed, .cancelled, .timedOut: true
        }
    }

    /// The states a run can still leave.
    package static let nonTerminal: Set<RunState> = [.accepted, .triggering, .waiting]

    /// The states a run never leaves.
    package static let terminal: Set<RunState> = [.succeeded, .failed, .cancelled, .timedOut]

    /// The stored name, e.g. "timedOut".
    package var description: String { rawValue }
}
