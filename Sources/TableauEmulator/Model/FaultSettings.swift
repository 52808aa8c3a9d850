/// Faults the emulator injects into `/api/…` requests, set in the seed's `faults` object and
/// changed at run time with `PUT /_emulator/faults`. Admin requests under `/_emulator/` are never faulted.
public struct FaultSettings: Codable, Sendable, Equatable {
    /// Milliseconds added before every answer.
    public var latencyMs: Int
    /// Fraction (0…1) of requests answered with one of ``errorStatuses``.
    public var errorRate: Double
    /// Statuses used for ``errorRate`` (500 and 503 by default).
    public var errorStatuses: [Int]
    /// Fraction (0…1) of requests answered 429 with `Retry-After`.
    public var rateLimitRate: Double
    /// Seconds sent in `Retry-After` on 429.
    public var retryAfterSeconds: Int
    /// Fraction (0…1) of requests whose connection is closed without an answer.
    public var dropRate: Double
    /// Fraction (0…1) of requests that are fully processed (a refresh queues its job) and whose
    /// connection is then closed without an answer: "Tableau did it but the answer was lost".
    public var loseAnswerRate: Double
    /// Only requests whose path contains this text are faulted (all when nil).
    public var pathContains: String?
    /// Deterministic faults, used in order: each answers its next `count` matching requests.
    public var failNext: [ScriptedFault]
    /// Every Nth authenticated request revokes the session it used (that request then gets 401).
    public var revokeSessionEvery: Int?
    /// Concurrent refresh jobs per site (Tableau's backgrounders); a site's own limit wins.
    public var maxConcurrentJobsPerSite: Int?

    public init(
        latencyMs: Int = 0, errorRate: Double = 0, errorStatuses: [Int] = [500, 503], rateLimitRate: Double = 0,
        retryAfterSeconds: Int = 1, dropRate: Double = 0, loseAnswerRate: Double = 0, pathContains: String? = nil, failNext: [ScriptedFault] = [],
        revokeSessionEvery: Int? = nil, maxConcurrentJobsPerSite: Int? = nil
    ) {
        self.latencyMs = latencyMs
        self.errorRate = errorRate
        self.errorStatuses = errorStatuses
        self.rateLimitRate = rateLimitRate
        self.retryAfterSeconds = retryAfterSeconds
        self.dropRate = dropRate
        self.loseAnswerRate = loseAnswerRate
        self.pathContains = pathContains
        self.failNext = failNext
        self.revokeSessionEvery = revokeSessionEvery
        self.maxConcurrentJobsPerSite = maxConcurrentJobsPerSite
    }

    enum CodingKeys: String, CodingKey {
        case latencyMs, errorRate, errorStatuses, rateLimitRate, retryAfterSeconds, dropRate, loseAnswerRate, pathContains, failNext
        case revokeSessionEvery, maxConcurrentJobsPerSite
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            latencyMs: try c.decodeIfPresent(Int.self, forKey: .latencyMs) ?? 0,
            errorRate: try c.decodeIfPresent(Double.self, forKey: .errorRate) ?? 0,
            errorStatuses: try c.decodeIfPresent([Int].self, forKey: .errorStatuses) ?? [500, 503],
            rateLimitRate: try c.decodeIfPresent(Double.self, forKey: .rateLimitRate) ?? 0,
            retryAfterSeconds: try c.decodeIfPresent(Int.self, forKey: .retryAfterSeconds) ?? 1,
            dropRate: try c.decodeIfPresent(Double.self, forKey: .dropRate) ?? 0,
            loseAnswerRate: try c.decodeIfPresent(Double.self, forKey: .loseAnswerRate) ?? 0,
            pathContains: try c.decodeIfPresent(String.self, forKey: .pathContains),
            failNext: try c.decodeIfPresent([ScriptedFault].self, forKey: .failNext) ?? [],
            revokeSessionEvery: try c.decodeIfPresent(Int.self, forKey: .revokeSessionEvery),
            maxConcurrentJobsPerSite: try c.decodeIfPresent(Int.self, forKey: .maxConcurrentJobsPerSite)
        )
    }

    /// Checks ranges; returns a problem description or nil.
    func problem() -> String? {
        for (name, rate) in [("errorRate", errorRate), ("rateLimitRate", rateLimitRate), ("dropRate", dropRate), ("loseAnswerRate", loseAnswerRate)]
        where !(0...1).contains(rate) {
            return "\(name) must be between 0 and 1, not \(rate)"
        }
        if latencyMs < 0 { return "latencyMs must not be negative" }
        if errorStatuses.isEmpty || errorStatuses.contains(where: { !(500...599).contains($0) }) {
            return "errorStatuses must be a non-empty list of 5xx statuses"
        }
        if let every = revokeSessionEvery, every < 1 { return "revokeSessionEvery must be at least 1" }
        if let limit = maxConcurrentJobsPerSite, limit < 1 { return "maxConcurrentJobsPerSite must be at least 1" }
        for (index, fault) in failNext.enumerated() {
            if let status = fault.status, !(400...599).contains(status) {
                return "failNext[\(index)].status must be a 4xx or 5xx status (leave it out to drop the connection)"
            }
            if fault.count < 1 { return "failNext[\(index)].count must be at least 1" }
            if fault.loseAnswer, fault.status != nil {
                return "failNext[\(index)]: give either status or loseAnswer, not both"
            }
        }
        return nil
    }
}

/// A fault for the next `count` requests that match `method` and `pathContains`.
public struct ScriptedFault: Codable, Sendable, Equatable {
    /// Status to answer with; nil drops the connection instead.
    public var status: Int?
    public var count: Int
    public var pathContains: String?
    public var method: String?
    /// `Retry-After` seconds for a 429.
    public var retryAfterSeconds: Int?
    /// Process the request fully, then close the connection without answering (no `status`).
    public var loseAnswer: Bool
    /// Tableau's words for the error (its `detail`), e.g. "Too many requests. Please retry after
    /// 29 minutes": the answer is then a Tableau error (code `<status>000`), and a 429 carries no
    /// `Retry-After` unless `retryAfterSeconds` is given.
    public var message: String?

    public init(
        status: Int?, count: Int = 1, pathContains: String? = nil, method: String? = nil, retryAfterSeconds: Int? = nil,
        loseAnswer: Bool = false, message: String? = nil
    ) {
        self.message = message
        self.status = status
        self.count = count
        self.pathContains = pathContains
        self.method = method
        self.retryAfterSeconds = retryAfterSeconds
        self.loseAnswer = loseAnswer
    }

    enum CodingKeys: String, CodingKey { case status, count, pathContains, method, retryAfterSeconds, loseAnswer, message }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        status = try c.decodeIfPresent(Int.self, forKey: .status)
        count = try c.decodeIfPresent(Int.self, forKey: .count) ?? 1
        pathContains = try c.decodeIfPresent(String.self, forKey: .pathContains)
        method = try c.decodeIfPresent(String.self, forKey: .method)
        retryAfterSeconds = try c.decodeIfPresent(Int.self, forKey: .retryAfterSeconds)
        loseAnswer = try c.decodeIfPresent(Bool.self, forKey: .loseAnswer) ?? false
        message = try c.decodeIfPresent(String.self, forKey: .message)
    }
}
