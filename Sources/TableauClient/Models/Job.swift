public import Foundation

/// An asynchronous job as Query Job returns it.
public struct Job: Sendable, Equatable {
    public var id: String
    public var type: String?
    public var progress: Int?
    public var createdAt: Date?
    public var startedAt: Date?
    public var completedAt: Date?
    /// 0 success, 1 failed, 2 cancelled (3 "completed" is treated as success); nil while running.
    public var finishCode: Int?
    /// Tableau's notes (a failed refresh says why).
    public var notes: [String]
    public var targetType: ContentType?
    public var targetId: String?
    public var targetName: String?

    init?(json: JSONValue) {
        let job = json["job"] ?? json
        guard let id = job["id"]?.string else { return nil }
        self.id = id
        type = job["type"]?.string
        progress = job["progress"]?.int
        createdAt = job["createdAt"]?.date
        startedAt = job["startedAt"]?.date
        completedAt = job["completedAt"]?.date
        finishCode = job["finishCode"]?.int
        let refresh = job["extractRefreshJob"]
        notes = (refresh?["notes"]?.elements ?? []).compactMap { $0.string ?? $0["value"]?.string }
        if let ds = refresh?["datasource"] {
            targetType = .datasource
            targetId = ds["id"]?.string
            targetName = ds["name"]?.string
        } else if let wb = refresh?["workbook"] {
            targetType = .workbook
            targetId = wb["id"]?.string
            targetName = wb["name"]?.string
        }
    }

    /// Whether Tableau has finished with the job, one way or another.
    public var isFinished: Bool { completedAt != nil || finishCode != nil }

    /// The outcome once finished.
    public var outcome: JobOutcome? {
        guard isFinished else { return nil }
        switch finishCode {
        case 1: return .failed(notes: notes.joined(separator: "\n"))
        case 2: return .cancelled
        default: return .succeeded
        }
    }
}

/// A job as Query Jobs lists it.
public struct BackgroundJob: Sendable, Equatable {
    public var id: String
    /// `Pending`, `InProgress`, `Success`, `Failed` or `Cancelled`.
    public var status: String
    public var jobType: String?
    public var createdAt: Date?
    public var startedAt: Date?
    public var endedAt: Date?
    public var title: String?
    public var subtitle: String?

    init?(json: JSONValue) {
        guard let id = json["id"]?.string, let status = json["status"]?.string else { return nil }
        self.id = id
        self.status = status
        jobType = json["jobType"]?.string
        createdAt = json["createdAt"]?.date
        startedAt = json["startedAt"]?.date
        endedAt = json["endedAt"]?.date
        title = json["title"]?.string
        subtitle = json["subtitle"]?.string
    }

    /// Whether the job has ended.
    public var isFinished: Bool { ["Success", "Failed", "Cancelled"].contains(status) }
}

/// How a waited-on job ended.
public enum JobOutcome: Sendable, Equatable {
    case succeeded
    /// Tableau reported failure; the notes say why, in Tableau's words.
    case failed(notes: String)
    case cancelled
    /// The deadline passed before Tableau finished the job.
    case timedOut
}

/// A job that has ended, with Tableau's times (whole seconds, Tableau's clock) when it gave them.
public struct EndedJob: Sendable, Equatable {
    /// How it ended.
    public var outcome: JobOutcome
    /// When Tableau created (queued) it.
    public var createdAt: Date?
    /// When it ended.
    public var completedAt: Date?

    /// A job that ended with `outcome`.
    public init(outcome: JobOutcome, createdAt: Date? = nil, completedAt: Date? = nil) {
        self.outcome = outcome
        self.createdAt = createdAt
        self.completedAt = completedAt
    }
}
