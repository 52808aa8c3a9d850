import Foundation

/// A job seen through Query Jobs' fields (`status`, `jobType`, `endedAt`…).
struct BackgroundJobView: Queryable {
    var job: Job
    /// Progress (0…100) when the list was taken.
    var progress: Int

    static let queryFields: Set<String> = [
        "id", "status", "jobType", "createdAt", "startedAt", "endedAt", "completedAt", "title", "subtitle", "notes", "progress",
        "priority", "args",
    ]

    func field(_ name: String) -> FieldValue? {
        switch name {
        case "id": .string(job.id)
        case "status": .string(job.status.rawValue)
        case "jobType": .string(job.backgroundJobType)
        case "createdAt": .date(job.createdAt)
        case "startedAt": job.startedAt.map(FieldValue.date)
        case "endedAt", "completedAt": job.completedAt.map(FieldValue.date)
        case "title": .string(job.itemName)
        case "subtitle": .string(job.kind.label)
        case "notes": .string(job.notes ?? "")
        case "progress": .int(progress)
        case "priority": .int(50)
        case "args": .string(job.itemId)
        default: nil
        }
    }
}

extension Routes {
    func getJob(_ call: Call, siteId: String, id: String) throws(EmulatorError) -> Reply {
        try state.withWorld { world, now throws(EmulatorError) in
            _ = try authenticate(call, siteId: siteId, in: &world, now: now, scope: "tableau:jobs:read")
            guard let job = world.jobs[id], job.siteId == siteId else { throw .notFound("404000", "Job '\(id)' could not be found.") }
            return .ok(ItemElements.job(job, now: now))
        }
    }

    func cancelJob(_ call: Call, siteId: String, id: String) throws(EmulatorError) -> Reply {
        try state.withWorld { world, now throws(EmulatorError) in
            _ = try authenticate(call, siteId: siteId, in: &world, now: now, scope: "tableau:jobs:update")
            guard let existing = world.jobs[id], existing.siteId == siteId else {
                throw .notFound("404000", "Job '\(id)' could not be found.")
            }
            let job = world.cancel(jobId: existing.id, at: now) ?? existing
            return .ok(ItemElements.job(job, now: now))
        }
    }

    /// Query Jobs: administrators only (others get 403, which clients use to fall back to per-job polling).
    func listJobs(_ call: Call, siteId: String) throws(EmulatorError) -> Reply {
        let query = try ListQuery(call.query, fields: BackgroundJobView.queryFields)
        let jobs: [BackgroundJobView] = try state.withWorld { world, now throws(EmulatorError) in
            let (session, index) = try authenticate(call, siteId: siteId, in: &world, now: now, scope: "tableau:jobs:read")
            _ = try requireAdministrator(session, site: world.sites[index], action: "query jobs")
            return world.jobs.values.filter { $0.siteId == siteId }
                .sorted { ($0.createdAt, $0.id) > ($1.createdAt, $1.id) }
                .map { BackgroundJobView(job: $0, progress: $0.progress(at: now)) }
        }
        let (page, total) = query.apply(to: jobs)
        return .ok(query.pagination(total: total), .list("backgroundJobs", page.map { query.select(ItemElements.backgroundJob($0.job)) }))
    }

    func listTasks(_ call: Call, siteId: String) throws(EmulatorError) -> Reply {
        let cloud = state.isCloud
        return try state.withWorld { world, now throws(EmulatorError) in
            let (_, index) = try authenticate(call, siteId: siteId, in: &world, now: now, scope: "tableau:tasks:read")
            return .ok(.list("tasks", world.sites[index].tasks.map { ItemElements.task($0, now: now, cloud: cloud) }))
        }
    }

    func getTask(_ call: Call, siteId: String, id: String) throws(EmulatorError) -> Reply {
        let cloud = state.isCloud
        return try state.withWorld { world, now throws(EmulatorError) in
            let (_, index) = try authenticate(call, siteId: siteId, in: &world, now: now, scope: "tableau:tasks:read")
            guard let task = world.sites[index].tasks.first(where: { $0.id == id }) else {
                throw .notFound("404000", "Task '\(id)' could not be found.")
            }
            return .ok(ItemElements.task(task, now: now, cloud: cloud))
        }
    }

    /// Run Extract Refresh Task: queues the task's refresh now; a duplicate gets 409093 too.
    func runTask(_ call: Call, siteId: String, id: String) throws(EmulatorError) -> Reply {
        try state.withWorld { world, now throws(EmulatorError) in
            let (session, index) = try authenticate(call, siteId: siteId, in: &world, now: now, scope: "tableau:tasks:run")
            guard let task = world.sites[index].tasks.first(where: { $0.id == id }) else {
                throw .notFound("404000", "Task '\(id)' could not be found.")
            }
            let job = try startRefresh(task.kind, itemId: task.itemId, incremental: task.incremental, session: session, siteIndex: index, world: &world, now: now)
            return .ok(ItemElements.acceptedJob(job))
        }
    }
}
