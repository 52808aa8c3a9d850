package import Foundation

/// A refresh run: one extract refresh of one Tableau item, durable from the moment it is
/// accepted. ``RunStateMachine`` changes its state, attempts, job id and notes; the store sets
/// ``version``, ``updatedAt`` and ``lease``.
package struct Run: Sendable, Equatable, Codable, Identifiable {
    /// The run's id.
    package var id: String
    /// The connection (``Connection/id``) the item lives on.
    package var connectionId: String
    /// What the caller asked for, as they wrote it ("datasource Sales", "project Finance"…).
    package var target: String
    /// The Tableau item the target resolved to.
    package var item: RunItem
    /// The item's project when the run was accepted (nil for runs stored before Freshet kept it).
    package var projectName: String?
    /// Who asked: "cli:<os user>", "token:<name>".
    package var actor: String
    /// The caller's key: repeating a request with it returns this run (unique per connection).
    package var idempotencyKey: String?
    /// Where the run stands.
    package var state: RunState
    /// The Tableau job of the current attempt; set exactly in ``RunState/waiting`` and kept
    /// when the run ends. A run with a job id is never triggered again for that attempt.
    package var jobId: String?
    /// Every trigger attempt, oldest first, with its outcome.
    package var attempts: [RunAttempt]
    /// Tableau's notes on a failure, or why the run ended.
    package var notes: String?
    /// Whether a caller asked to cancel while the run could not stop at once.
    package var cancelRequested: Bool
    /// When the run was accepted.
    package var createdAt: Date
    /// When the run was last written.
    package var updatedAt: Date
    /// When the run times out, if ever.
    package var deadline: Date?
    /// How Tableau-reported failures are retried.
    package var retryPolicy: RunRetryPolicy
    /// Bumped by the store on every write; transitions compare-and-set on it.
    package var version: Int
    /// The process driving the run, if any (kept by the store).
    package var lease: RunLease?
    /// Whether the run holds one of its connection's Tableau job slots (kept by the store).
    package var holdsJobSlot: Bool

    /// A new, accepted run.
    package init(
        id: String = UUID().uuidString, connectionId: String, target: String, item: RunItem, projectName: String? = nil, actor: String,
        idempotencyKey: String? = nil, deadline: Date? = nil, retryPolicy: RunRetryPolicy = RunRetryPolicy(), createdAt: Date
    ) {
        self.id = id
        self.connectionId = connectionId
        self.target = target
        self.item = item
        self.projectName = projectName
        self.actor = actor
        self.idempotencyKey = idempotencyKey
        self.state = .accepted
        self.jobId = nil
        self.attempts = []
        self.notes = nil
        self.cancelRequested = false
        self.createdAt = createdAt
        self.updatedAt = createdAt
        self.deadline = deadline
        self.retryPolicy = retryPolicy
        self.version = 0
        self.lease = nil
        self.holdsJobSlot = false
    }
}

extension Run {
    /// While the run waits on its job: when the job is expected to end (from the item's recent
    /// refresh durations), or nil.
    package var estimatedFinish: Date? {
        state == .waiting ? attempts.last?.expectedEndAt : nil
    }

    /// While Tableau holds the run's site and the run waits to trigger again: until when.
    package var heldUntil: Date? {
        state == .triggering ? attempts.last?.heldUntil : nil
    }
}

/// The Tableau item a run refreshes.
package struct RunItem: Sendable, Equatable, Hashable, Codable {
    /// Workbook or data source.
    package enum ContentType: String, Sendable, Equatable, Hashable, Codable, CaseIterable {
        /// A workbook with embedded extracts.
        case workbook
        /// A published data source.
        case datasource
    }

    /// Workbook or data source.
    package var contentType: ContentType
    /// Tableau's id (LUID) of the item.
    package var tableauId: String
    /// The item's name, for people.
    package var name: String

    /// An item of `contentType` with Tableau id `tableauId` and `name`.
    package init(contentType: ContentType, tableauId: String, name: String) {
        self.contentType = contentType
        self.tableauId = tableauId
        self.name = name
    }
}

/// How often a run is tried when Tableau reports its job failed.
package struct RunRetryPolicy: Sendable, Equatable, Hashable, Codable {
    /// Tableau-reported failures allowed before the run fails; 1 (the default) means no retry.
    package var maxAttempts: Int
    /// Seconds between a failed job and the next trigger.
    package var delay: Double

    /// A policy of `maxAttempts` (at least 1) with `delay` seconds between them.
    package init(maxAttempts: Int = 1, delay: Double = 30) {
        self.maxAttempts = max(1, maxAttempts)
        self.delay = max(0, delay)
    }
}

/// Who drives a run, until when.
package struct RunLease: Sendable, Equatable, Hashable, Codable {
    /// The process (or worker) holding the lease.
    package var holder: String
    /// When the lease lapses unless renewed.
    package var until: Date

    /// A lease of `holder` until `until`.
    package init(holder: String, until: Date) {
        self.holder = holder
        self.until = until
    }
}
