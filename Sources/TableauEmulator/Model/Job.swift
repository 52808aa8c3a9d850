import Foundation

/// An asynchronous extract-refresh job and its simulated life.
struct Job: Sendable {
    enum Status: String, Sendable {
        case pending = "Pending"
        case inProgress = "InProgress"
        case success = "Success"
        case failed = "Failed"
        case cancelled = "Cancelled"
    }

    var id: String
    var siteId: String
    var kind: ContentKind
    var itemId: String
    var itemName: String
    var incremental: Bool
    var createdAt: Date
    /// When the job may start (created + queue delay), if a backgrounder is free.
    var readyAt: Date
    var startedAt: Date?
    var completedAt: Date?
    var finishCode: Int?
    var notes: String?
    var outcome: RefreshBehaviour.Outcome
    var duration: Double
    var failureNotes: String
    /// The site's time limit when the job was queued: a refresh running longer is killed.
    var timeLimit: Double? = nil

    /// Whether the job runs into its time limit (it hangs, or takes longer).
    var hitsTimeLimit: Bool {
        guard let timeLimit else { return false }
        return outcome == .hang || duration > timeLimit
    }

    /// Tableau's note on a refresh killed at its time limit.
    static func timeLimitNotes(_ seconds: Double) -> String {
        "The query time resource limit (\(Int(seconds)) seconds) was exceeded."
    }

    /// Tableau Cloud's note on a refresh refused because the site's daily capacity is used up.
    static let quotaNotes = "No more non-interactive quota remaining for your site"

    var isFinished: Bool { completedAt != nil }

    var status: Status {
        switch finishCode {
        case 0: .success
        case 1: .failed
        case 2: .cancelled
        default: startedAt == nil ? .pending : .inProgress
        }
    }

    /// Time the running job completes, or nil while pending or when it hangs.
    var plannedCompletion: Date? {
        guard let startedAt, completedAt == nil else { return nil }
        if hitsTimeLimit, let timeLimit { return startedAt.addingTimeInterval(timeLimit) }
        guard outcome != .hang else { return nil }
        return startedAt.addingTimeInterval(duration)
    }

    func progress(at now: Date) -> Int {
        if isFinished { return 100 }
        guard let startedAt else { return 0 }
        guard outcome != .hang, duration > 0 else { return 50 }
        return max(0, min(99, Int(now.timeIntervalSince(startedAt) / duration * 100)))
    }

    /// `refresh_extracts` or `increment_extracts`, as Query Jobs reports `jobType`.
    var backgroundJobType: String { incremental ? "increment_extracts" : "refresh_extracts" }
}

/// Something that happened to a job, for webhooks.
struct JobEvent: Sendable {
    enum Kind: String, Sendable {
        case started = "Started"
        case succeeded = "Succeeded"
        case failed = "Failed"
    }

    var kind: Kind
    var job: Job
    var at: Date
}
