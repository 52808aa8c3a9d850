package import Foundation

/// A run as the API and the CLI show it (JSON-friendly, no lease internals).
package struct RunView: Sendable, Equatable, Codable {
    /// One attempt, flattened.
    package struct Attempt: Sendable, Equatable, Codable {
        package var number: Int
        package var jobId: String?
        /// Whether the job was someone else's refresh that this run joined (Tableau answered 409093).
        package var joinedExisting: Bool
        /// Whether the job was found by reconciliation after the trigger call's answer was lost.
        package var reconciled: Bool
        /// When the trigger call began.
        package var startedAt: Date?
        /// pending, transientFailure, unknown, interrupted, succeeded, failed, cancelled, timedOut.
        package var outcome: String
        /// The transient failure's message, or Tableau's notes on a failed job.
        package var message: String?
        /// When its job was expected to end (from the item's recent refresh durations).
        package var expectedEndAt: Date?
        /// For a `held` attempt: until when Tableau held the site.
        package var heldUntil: Date?
    }

    package var id: String
    package var connectionId: String
    package var target: String
    /// "datasource" or "workbook".
    package var itemType: String
    package var itemId: String
    package var itemName: String
    /// The item's project when the run was accepted.
    package var project: String?
    package var state: String
    /// Whether the run has ended.
    package var finished: Bool
    package var jobId: String?
    /// Tableau's notes on a failure, or why the run ended.
    package var notes: String?
    package var cancelRequested: Bool
    package var actor: String
    package var idempotencyKey: String?
    package var createdAt: Date
    package var updatedAt: Date
    package var deadline: Date?
    /// While the run waits on its job: when the job is expected to end, from the item's recent
    /// refresh durations (nil until Freshet has seen one of them end).
    package var estimatedFinish: Date?
    /// While Tableau holds the run's site (429 naming a wait, daily capacity used up): until when.
    /// The run triggers again then; a hold is never a failure.
    package var heldUntil: Date?
    /// Why Tableau holds the site, in its words.
    package var heldReason: String?
    /// Why a failed run failed, when Tableau's words name a known reason
    /// (``TableauFailureReason``: timeLimit, suspended, liveConnection, expiredCredentials,
    /// permissionDenied); the notes start with its title and a hint.
    package var failureReason: String?
    package var attempts: [Attempt]

    /// The view of `run`.
    package init(_ run: Run) {
        id = run.id
        connectionId = run.connectionId
        target = run.target
        itemType = run.item.contentType.rawValue
        itemId = run.item.tableauId
        itemName = run.item.name
        project = run.projectName
        state = run.state.rawValue
        finished = run.state.isTerminal
        jobId = run.jobId
        notes = run.notes
        cancelRequested = run.cancelRequested
        actor = run.actor
        idempotencyKey = run.idempotencyKey
        createdAt = run.createdAt
        updatedAt = run.updatedAt
        deadline = run.deadline
        estimatedFinish = run.estimatedFinish
        heldUntil = run.heldUntil
        if case .held(_, let reason)? = run.attempts.last?.outcome, heldUntil != nil { heldReason = reason }
        failureReason = run.state == .failed ? TableauFailureReason.named(in: run.notes)?.rawValue : nil
        attempts = run.attempts.map { attempt in
            let (outcome, message): (String, String?) =
                switch attempt.outcome {
                case .pending: ("pending", nil)
                case .transientFailure(let message): ("transientFailure", message)
                case .interrupted: ("interrupted", nil)
                case .unknown(let message): ("unknown", message)
                case .succeeded: ("succeeded", nil)
                case .failed(let notes): ("failed", notes)
                case .cancelled: ("cancelled", nil)
                case .timedOut: ("timedOut", nil)
                case .held(_, let reason): ("held", reason)
                }
            return Attempt(
                number: attempt.number, jobId: attempt.jobId, joinedExisting: attempt.joinedExisting, reconciled: attempt.reconciled,
                startedAt: attempt.startedAt, outcome: outcome, message: message, expectedEndAt: attempt.expectedEndAt,
                heldUntil: attempt.heldUntil)
        }
    }
}

extension RunView {
    /// Shows `hold` (the hold on the run's site, from the store) on a run that has not ended and
    /// shows no hold of its own: runs that wait for the site to be free say so too.
    package mutating func show(_ hold: SiteHold?) {
        guard let hold, !finished, heldUntil == nil || hold.until > heldUntil! else { return }
        heldUntil = hold.until
        heldReason = hold.reason
    }
}

/// An item a request named that has no extract (a live connection): reported, not refreshed.
/// The same shape in the API's answers, `freshet refresh --json` and the CLI's HTTP client.
package struct LiveItemView: Sendable, Equatable, Codable {
    package var itemType: String
    package var itemId: String
    package var itemName: String
    package var project: String?
    package var reason: String

    /// The view of `item`.
    package init(_ item: RefreshableItem) {
        itemType = item.item.contentType.rawValue
        itemId = item.item.tableauId
        itemName = item.item.name
        project = item.projectName
        reason = "live connection: no extract to refresh"
    }

    /// The item it describes (without extracts).
    package var item: RefreshableItem {
        RefreshableItem(
            item: RunItem(contentType: RunItem.ContentType(rawValue: itemType) ?? .datasource, tableauId: itemId, name: itemName),
            projectName: project, hasExtracts: false)
    }
}

/// How a set of ended runs maps to one process exit status (documented in `freshet refresh --help`).
package enum RunsOutcome: Int32, Sendable, Equatable, Comparable {
    /// Every run succeeded.
    case succeeded = 0
    /// A refresh failed (Tableau said so, or refused it).
    case failed = 1
    /// A run timed out.
    case timedOut = 3
    /// A run was cancelled.
    case cancelled = 4
    /// Tableau could not be reached: every failed run failed only on transient errors.
    case unreachable = 5

    /// The most serious outcome among `runs`: unreachable, then failed, timed out, cancelled;
    /// succeeded when all succeeded (runs still going count as succeeded so far).
    package init(_ runs: [Run]) {
        let failed = runs.filter { $0.state == .failed }
        if !failed.isEmpty {
            let onlyTransient = failed.allSatisfy { run in
                !run.attempts.isEmpty && run.attempts.allSatisfy { if case .transientFailure = $0.outcome { true } else { false } }
            }
            self = onlyTransient ? .unreachable : .failed
        } else if runs.contains(where: { $0.state == .timedOut }) {
            self = .timedOut
        } else if runs.contains(where: { $0.state == .cancelled }) {
            self = .cancelled
        } else {
            self = .succeeded
        }
    }

    private var severity: Int {
        switch self {
        case .succeeded: 0
        case .cancelled: 1
        case .timedOut: 2
        case .failed: 3
        case .unreachable: 4
        }
    }

    package static func < (lhs: RunsOutcome, rhs: RunsOutcome) -> Bool { lhs.severity < rhs.severity }
}
