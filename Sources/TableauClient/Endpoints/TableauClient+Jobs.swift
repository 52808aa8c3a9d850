extension TableauClient {
    /// `GET jobs/{id}`.
    public func job(_ id: String) async throws(TableauError) -> Job {
        let json = try await sendJSON("GET", .site("jobs/\(id)"))
        guard let job = Job(json: json) else { throw .invalidResponse("the answer carried no job") }
        return job
    }

    /// Query Jobs (`GET jobs`), one page; administrators only on most servers.
    public func jobsPage(_ options: ListOptions = ListOptions()) async throws(TableauError) -> Page<BackgroundJob> {
        try await page(.site("jobs"), options: options, page: options.pageNumber, container: ("backgroundJobs", "backgroundJob"), parse: BackgroundJob.init(json:))
    }

    /// Query Jobs, every page.
    public func jobs(_ options: ListOptions = ListOptions()) -> PagedSequence<BackgroundJob> {
        pages(.site("jobs"), options: options, container: ("backgroundJobs", "backgroundJob"), parse: BackgroundJob.init(json:))
    }

    /// Cancels a job (`PUT jobs/{id}`).
    public func cancelJob(_ id: String) async throws(TableauError) {
        _ = try await send("PUT", .site("jobs/\(id)"))
    }

    /// Extract-refresh tasks of the site.
    public func refreshTasks() async throws(TableauError) -> [RefreshTask] {
        let json = try await sendJSON("GET", .site("tasks/extractRefreshes"))
        return json.list("tasks", "task").compactMap(RefreshTask.init(json:))
    }

    /// Runs an extract-refresh task now; returns the queued job.
    public func runTask(_ id: String) async throws(TableauError) -> Job {
        let json = try await sendJSON("POST", .site("tasks/extractRefreshes/\(id)/runNow"), json: [String: Any]())
        guard let job = Job(json: json) else { throw .invalidResponse("the run-now answer carried no job") }
        return job
    }

    /// The outcomes of those of `jobs` that have ended, checked together: one Query Jobs call
    /// per page (jobs created since the oldest one), plus Get Job for failed jobs (their notes)
    /// and for jobs the list did not show; one Get Job per job when Tableau refuses Query Jobs.
    /// Each ended job comes with Tableau's creation and end times, when it gave them.
    public func endedJobs(_ jobs: [(id: String, createdAt: Date?)]) async throws(TableauError) -> [String: EndedJob] {
        var ended: [String: EndedJob] = [:]
        var single = jobs.filter { $0.createdAt == nil }.map(\.id)
        let listed = jobs.filter { $0.createdAt != nil }
        if listed.count == 1 { single.append(listed[0].id) }
        if listed.count > 1, let oldest = listed.compactMap(\.createdAt).min() {
            var options = ListOptions(pageSize: 1000)
            options.filter("createdAt", .gte, oldest.addingTimeInterval(-1))
            let wanted = Set(listed.map(\.id))
            var found: [String: BackgroundJob] = [:]
            do {
                var pageNumber = 1
                while true {
                    options.pageNumber = pageNumber
                    let page = try await jobsPage(options)
                    for job in page.items where wanted.contains(job.id) { found[job.id] = job }
                    guard found.count < wanted.count, page.pagination.hasMore, !page.items.isEmpty else { break }
                    pageNumber += 1
                }
                for job in listed {
                    let seen = found[job.id]
                    switch seen?.status {
                    case "Success": ended[job.id] = EndedJob(outcome: .succeeded, createdAt: seen?.createdAt, completedAt: seen?.endedAt)
                    case "Cancelled": ended[job.id] = EndedJob(outcome: .cancelled, createdAt: seen?.createdAt, completedAt: seen?.endedAt)
                    case "Failed", nil: single.append(job.id)  // notes are only on the job itself; unlisted: ask
                    default: break
                    }
                }
            } catch where error.isForbidden {
                single += listed.map(\.id)
            }
        }
        for id in single {
            do {
                let found = try await job(id)
                if let outcome = found.outcome { ended[id] = EndedJob(outcome: outcome, createdAt: found.createdAt, completedAt: found.completedAt) }
            } catch where !error.isTransient {
                ended[id] = EndedJob(outcome: .failed(notes: "Freshet could not follow Tableau job \(id): \(error)"))
            }
        }
        return ended
    }

    /// How many jobs this client is waiting on right now (for metrics and tests).
    public func jobsBeingWaitedOn() async -> Int {
        await waiter.waitingCount()
    }

    /// Waits for a job to finish: backoff with jitter up to `timeout`; when many jobs are awaited
    /// at once, one Query Jobs call per cycle serves them all (falling back to per-job polling
    /// when Tableau refuses it).
    public func waitForJob(_ id: String, createdAt: Date? = nil, timeout: Duration) async throws(TableauError) -> JobOutcome {
        try await waiter.wait(for: id, createdAt: createdAt, timeout: timeout, client: self)
    }
}

public import Foundation
