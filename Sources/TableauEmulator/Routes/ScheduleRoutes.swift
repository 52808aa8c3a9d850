import Foundation

/// Query Schedules, Get Schedule and Query Extract Refresh Tasks in a schedule (Tableau Server only:
/// Tableau Cloud has no server schedules, so there these paths are unknown resources).
extension Routes {
    /// The server's schedules: those of every site's tasks, each once, by name.
    private static func schedules(_ world: World) -> [RefreshSchedule] {
        var seen = Set<String>()
        return world.sites.flatMap { $0.tasks.map(\.schedule) }.filter { seen.insert($0.id).inserted }
    }

    private func requireServer(_ call: Call) throws(EmulatorError) {
        if state.isCloud { throw .unknownResource(call.path) }
    }

    func listSchedules(_ call: Call) throws(EmulatorError) -> Reply {
        try requireServer(call)
        let query = try ListQuery(call.query, fields: [])
        return try state.withWorld { world, now throws(EmulatorError) in
            let session = try authenticate(call, in: &world, now: now)
            guard let site = world.sites.first(where: { $0.id == session.siteId }) else { throw .invalidCredentials }
            _ = try requireAdministrator(session, site: site, action: "query schedules")
            let all = Self.schedules(world)
            let start = (query.pageNumber - 1) * query.pageSize
            let page = start < all.count ? Array(all[start..<min(start + query.pageSize, all.count)]) : []
            return .ok(query.pagination(total: all.count), .list("schedules", page.map { ItemElements.schedule($0, now: now) }))
        }
    }

    func getSchedule(_ call: Call, id: String) throws(EmulatorError) -> Reply {
        try requireServer(call)
        return try state.withWorld { world, now throws(EmulatorError) in
            let session = try authenticate(call, in: &world, now: now)
            guard let site = world.sites.first(where: { $0.id == session.siteId }) else { throw .invalidCredentials }
            _ = try requireAdministrator(session, site: site, action: "query schedules")
            guard let schedule = Self.schedules(world).first(where: { $0.id == id }) else {
                throw .notFound("404000", "Schedule '\(id)' could not be found.")
            }
            return .ok(ItemElements.schedule(schedule, now: now))
        }
    }

    /// The site's extract-refresh tasks on one schedule, as `<extracts><extract id priority type>`.
    func scheduleExtracts(_ call: Call, siteId: String, id: String) throws(EmulatorError) -> Reply {
        try requireServer(call)
        let query = try ListQuery(call.query, fields: [])
        return try state.withWorld { world, now throws(EmulatorError) in
            let (_, index) = try authenticate(call, siteId: siteId, in: &world, now: now, scope: "tableau:tasks:read")
            guard Self.schedules(world).contains(where: { $0.id == id }) else {
                throw .notFound("404000", "Schedule '\(id)' could not be found.")
            }
            let tasks = world.sites[index].tasks.filter { $0.schedule.id == id }
            let start = (query.pageNumber - 1) * query.pageSize
            let page = start < tasks.count ? Array(tasks[start..<min(start + query.pageSize, tasks.count)]) : []
            let extracts = page.map { task in
                Element(
                    "extract",
                    [
                        Attribute("id", task.id), Attribute("priority", String(task.priority)),
                        Attribute("type", task.incremental ? "IncrementalRefresh" : "RefreshExtract"),
                    ],
                    children: [Element(task.kind.rawValue, [Attribute("id", task.itemId)])]
                )
            }
            return .ok(query.pagination(total: tasks.count), .list("extracts", extracts))
        }
    }
}
