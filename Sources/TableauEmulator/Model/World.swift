import Foundation

/// Everything the emulated server knows; guarded by one lock in ``EmulatorState``.
struct World: Sendable {
    var sites: [Site] = []
    var personalAccessTokens: [String: PersonalAccessToken] = [:]
    var sessions: [String: Session] = [:]
    /// PAT name → the token of its one live session.
    var patSessions: [String: String] = [:]
    /// JWT ids already used; a `jti` is never accepted twice.
    var usedJWTIds: Set<String> = []
    var jobs: [String: Job] = [:]
    /// Ids of jobs not finished yet, oldest first.
    var activeJobIds: [String] = []
    /// Time of the last simulation step.
    var simulatedUntil: Date = .distantPast
    /// Site-independent limit on concurrent jobs set through faults; a site's own limit wins.
    var defaultMaxConcurrentJobs: Int?

    func siteIndex(id: String) -> Int? {
        sites.firstIndex { $0.id == id }
    }

    func siteIndex(contentUrl: String) -> Int? {
        sites.firstIndex { $0.contentUrl.lowercased() == contentUrl.lowercased() }
    }

    /// The queued or running refresh job for an item, if any.
    func activeJob(for itemId: String) -> Job? {
        for id in activeJobIds {
            if let job = jobs[id], job.itemId == itemId { return job }
        }
        return nil
    }

    /// Runs the job simulation up to `now`: starts pending jobs when a backgrounder is free and
    /// completes running ones when their duration has passed, in time order.
    mutating func advance(to now: Date) -> [JobEvent] {
        var events: [JobEvent] = []
        var clock = max(simulatedUntil, .distantPast)
        while true {
            var nextTime: Date?
            var nextJob: String?
            var isStart = false
            var running: [String: Int] = [:]
            for id in activeJobIds {
                guard let job = jobs[id], job.startedAt != nil else { continue }
                running[job.siteId, default: 0] += 1
                if let end = job.plannedCompletion, end <= now, nextTime == nil || end < nextTime! {
                    nextTime = end
                    nextJob = id
                    isStart = false
                }
            }
            var startsTaken: [String: Int] = [:]
            for id in activeJobIds {
                guard let job = jobs[id], job.startedAt == nil else { continue }
                let limit = limit(forSite: job.siteId)
                let busy = running[job.siteId, default: 0] + startsTaken[job.siteId, default: 0]
                if let limit, busy >= limit { continue }
                let start = max(job.readyAt, clock)
                if start <= now, nextTime == nil || start < nextTime! {
                    nextTime = start
                    nextJob = id
                    isStart = true
                }
                startsTaken[job.siteId, default: 0] += 1
            }
            guard let time = nextTime, let id = nextJob, var job = jobs[id] else { break }
            clock = max(clock, time)
            if isStart {
                job.startedAt = time
                jobs[id] = job
                events.append(JobEvent(kind: .started, job: job, at: time))
                if quotaUsedUp(for: job) {
                    // Tableau checks the site's daily capacity before running a refresh.
                    complete(&job, at: time, finishCode: 1, notes: Job.quotaNotes)
                    events.append(JobEvent(kind: .failed, job: job, at: time))
                }
            } else {
                if job.hitsTimeLimit, let limit = job.timeLimit {
                    complete(&job, at: time, finishCode: 1, notes: Job.timeLimitNotes(limit))
                } else if job.outcome == .failure {
                    complete(&job, at: time, finishCode: 1, notes: job.failureNotes)
                } else {
                    complete(&job, at: time, finishCode: 0, notes: nil)
                }
                events.append(JobEvent(kind: job.finishCode == 0 ? .succeeded : .failed, job: job, at: time))
            }
        }
        simulatedUntil = max(simulatedUntil, now)
        return events
    }

    /// Ends `job` and counts its run time against its site's daily capacity (the UTC day it was requested).
    private mutating func complete(_ job: inout Job, at time: Date, finishCode: Int, notes: String?) {
        job.completedAt = time
        job.finishCode = finishCode
        job.notes = notes
        jobs[job.id] = job
        activeJobIds.removeAll { $0 == job.id }
        if let index = siteIndex(id: job.siteId), let started = job.startedAt {
            sites[index].refreshSecondsUsed[Self.day(job.createdAt), default: 0] += time.timeIntervalSince(started)
        }
    }

    /// Whether `job`'s site used up its daily refresh capacity for the day the job was requested.
    private func quotaUsedUp(for job: Job) -> Bool {
        guard let index = siteIndex(id: job.siteId), let quota = sites[index].dailyRefreshSeconds else { return false }
        return sites[index].refreshSecondsUsed[Self.day(job.createdAt), default: 0] >= quota
    }

    /// The UTC day of `date` (days since 1970).
    static func day(_ date: Date) -> Int { Int((date.timeIntervalSince1970 / 86_400).rounded(.down)) }

    func limit(forSite siteId: String) -> Int? {
        let site = sites.first { $0.id == siteId }
        return site?.maxConcurrentJobs ?? defaultMaxConcurrentJobs
    }

    /// Cancels a queued or running job; returns the job as it now is.
    mutating func cancel(jobId: String, at now: Date) -> Job? {
        guard var job = jobs[jobId] else { return nil }
        guard !job.isFinished else { return job }
        job.completedAt = now
        job.finishCode = 2
        if job.startedAt == nil { job.startedAt = now }
        jobs[jobId] = job
        activeJobIds.removeAll { $0 == jobId }
        return job
    }

    /// Ends every session whose token matches, or all sessions of a PAT, or all sessions.
    mutating func revoke(token: String?, patName: String?) -> Int {
        let doomed = sessions.values.filter { session in
            if let token { return session.token == token }
            if let patName { return session.patName == patName }
            return true
        }
        for session in doomed {
            sessions[session.token] = nil
            if let pat = session.patName, patSessions[pat] == session.token { patSessions[pat] = nil }
        }
        return doomed.count
    }
}
