package import Foundation

/// One trigger attempt of a run and how it ended.
package struct RunAttempt: Sendable, Equatable, Hashable, Codable {
    /// How an attempt ended.
    package enum Outcome: Sendable, Equatable, Hashable, Codable {
        /// Still going: the trigger call is in flight, or its job is being waited on.
        case pending
        /// The trigger call failed transiently (5xx, 429, network) with this message.
        case transientFailure(message: String)
        /// The process stopped while the trigger call was in flight (runs stored before Freshet
        /// reconciled unknown outcomes; new runs record ``unknown(message:)`` instead).
        case interrupted
        /// The trigger call may have reached Tableau but its answer never came (the process
        /// stopped mid-call, the answer was lost, the call timed out, or Tableau answered 5xx).
        /// Before anything else the run looks for a job Tableau created for the item since the
        /// attempt began, and adopts it; it triggers again only when there is none.
        case unknown(message: String)
        /// Tableau reported the job succeeded.
        case succeeded
        /// Tableau reported the job failed, with its notes.
        case failed(notes: String?)
        /// The job (or the run, before Tableau had it) was cancelled.
        case cancelled
        /// The run's deadline passed during the attempt.
        case timedOut
        /// Tableau held the site until `until` (429 naming a wait, daily capacity used up); the
        /// run triggers again then.
        case held(until: Date, reason: String)
    }

    /// 1 for the first attempt.
    package var number: Int
    /// The Tableau job, once known.
    package var jobId: String?
    /// Whether the job was someone else's, joined after Tableau answered 409093.
    package var joinedExisting: Bool
    /// Whether the job was found by reconciliation after the trigger's answer was lost.
    package var reconciled: Bool
    /// When the trigger call began (nil for attempts stored before Freshet recorded it).
    package var startedAt: Date?
    /// How the attempt ended.
    package var outcome: Outcome
    /// When its job is expected to end, from the item's recent refresh durations (nil before
    /// Freshet saw one of the item's refreshes end); its first status check is due then.
    package var expectedEndAt: Date?

    /// An attempt numbered `number`.
    package init(
        number: Int, jobId: String? = nil, joinedExisting: Bool = false, reconciled: Bool = false, startedAt: Date? = nil,
        outcome: Outcome = .pending, expectedEndAt: Date? = nil
    ) {
        self.number = number
        self.jobId = jobId
        self.joinedExisting = joinedExisting
        self.reconciled = reconciled
        self.startedAt = startedAt
        self.outcome = outcome
        self.expectedEndAt = expectedEndAt
    }

    /// For an attempt Tableau held: until when.
    package var heldUntil: Date? {
        if case .held(let until, _) = outcome { return until }
        return nil
    }

    enum CodingKeys: String, CodingKey {
        case number, jobId, joinedExisting, reconciled, startedAt, outcome, expectedEndAt
    }

    /// Decodes attempts stored by any earlier Freshet (fields added later default).
    package init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            number: try c.decode(Int.self, forKey: .number), jobId: try c.decodeIfPresent(String.self, forKey: .jobId),
            joinedExisting: try c.decodeIfPresent(Bool.self, forKey: .joinedExisting) ?? false,
            reconciled: try c.decodeIfPresent(Bool.self, forKey: .reconciled) ?? false,
            startedAt: try c.decodeIfPresent(Date.self, forKey: .startedAt), outcome: try c.decode(Outcome.self, forKey: .outcome),
            expectedEndAt: try c.decodeIfPresent(Date.self, forKey: .expectedEndAt))
    }
}

/// How long to wait before retrying a trigger call that failed transiently: `initial`, then
/// times `multiplier` per consecutive failure, at most `maximum` seconds; after `maxRetries`
/// retries the run fails. Jitter is the executor's business.
package struct TriggerBackoff: Sendable, Equatable, Hashable, Codable {
    /// Retries after the first failure before the run fails.
    package var maxRetries: Int
    /// Seconds before the first retry.
    package var initial: Double
    /// Growth per consecutive failure.
    package var multiplier: Double
    /// Largest delay, in seconds.
    package var maximum: Double

    /// A backoff; negative values count as 0, a multiplier below 1 as 1.
    package init(maxRetries: Int = 8, initial: Double = 1, multiplier: Double = 2, maximum: Double = 60) {
        self.maxRetries = max(0, maxRetries)
        self.initial = max(0, initial)
        self.multiplier = max(1, multiplier)
        self.maximum = max(0, maximum)
    }

    /// The delay before retry number `retry` (1 for the first).
    package func delay(beforeRetry retry: Int) -> Double {
        var delay = initial
        for _ in 1..<max(1, retry) where delay < maximum { delay *= multiplier }
        return min(delay, maximum)
    }
}
