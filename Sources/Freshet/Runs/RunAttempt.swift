/// One trigger attempt of a run and how it ended.
public struct RunAttempt: Sendable, Equatable, Hashable, Codable {
    /// How an attempt ended.
    public enum Outcome: Sendable, Equatable, Hashable, Codable {
        /// Still going: the trigger call is in flight, or its job is being waited on.
        case pending
        /// The trigger call failed transiently (5xx, 429, network) with this message.
        case transientFailure(message: String)
        /// The process stopped while the trigger call was in flight; the outcome is unknown.
        case interrupted
        /// Tableau reported the job succeeded.
        case succeeded
        /// Tableau reported the job failed, with its notes.
        case failed(notes: String?)
        /// The job (or the run, before Tableau had it) was cancelled.
        case cancelled
        /// The run's deadline passed during the attempt.
        case timedOut
    }

    /// 1 for the first attempt.
    public var number: Int
    /// The Tableau job, once known.
    public var jobId: String?
    /// Whether the job was someone else's, joined after Tableau answered 409093.
    public var joinedExisting: Bool
    /// How the attempt ended.
    public var outcome: Outcome

    /// An attempt numbered `number`.
    public init(number: Int, jobId: String? = nil, joinedExisting: Bool = false, outcome: Outcome = .pending) {
        self.number = number
        self.jobId = jobId
        self.joinedExisting = joinedExisting
        self.outcome = outcome
    }
}

/// How long to wait before retrying a trigger call that failed transiently: `initial`, then
/// times `multiplier` per consecutive failure, at most `maximum` seconds; after `maxRetries`
/// retries the run fails. Jitter is the executor's business.
public struct TriggerBackoff: Sendable, Equatable, Hashable, Codable {
    /// Retries after the first failure before the run fails.
    public var maxRetries: Int
    /// Seconds before the first retry.
    public var initial: Double
    /// Growth per consecutive failure.
    public var multiplier: Double
    /// Largest delay, in seconds.
    public var maximum: Double

    /// A backoff; negative values count as 0, a multiplier below 1 as 1.
    public init(maxRetries: Int = 5, initial: Double = 1, multiplier: Double = 2, maximum: Double = 60) {
        self.maxRetries = max(0, maxRetries)
        self.initial = max(0, initial)
        self.multiplier = max(1, multiplier)
        self.maximum = max(0, maximum)
    }

    /// The delay before retry number `retry` (1 for the first).
    public func delay(beforeRetry retry: Int) -> Double {
        var delay = initial
        for _ in 1..<max(1, retry) where delay < maximum { delay *= multiplier }
        return min(delay, maximum)
    }
}
