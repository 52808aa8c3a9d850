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

import Foundation
