extension Routes {
    /// Query Sites: Tableau Cloud refuses it (403069); on Server the caller sees the sites it belongs to.
    func listSites(_ call: Call) throws(EmulatorError) -> Reply {
        let query = try ListQuery(call.query, fields: [])
        let isCloud = state.isCloud
        let sites: [Site] = try state.withWorld { world, now throws(EmulatorError) in
            let session = try authenticate(call, in: &world, now: now)
            guard !isCloud else { throw .forbidden("Sites query is unsupported for Tableau Cloud.", code: "403069") }
            guard let me = world.sites.first(where: { $0.id == session.siteId })?.users[session.userId] else { throw .invalidCredentials }
            if me.siteRole == "ServerAdministrator" { return world.sites }
            return world.sites.filter { $0.user(named: me.name) != nil }
        }
        let start = (query.pageNumber - 1) * query.pageSize
        let page = start < sites.count ? Array(sites[start..<min(start + query.pageSize, sites.count)]) : []
        return .ok(query.pagination(total: sites.count), .list("sites", page.map(ItemElements.site)))
    }

    /// Query Site by id, or by `?key=contentUrl` / `?key=name`.
    func getSite(_ call: Call, key: String) throws(EmulatorError) -> Reply {
        let lookup = call.query["key"]?.lowercased()
        return try state.withWorld { world, now throws(EmulatorError) in
            let session = try authenticate(call, in: &world, now: now)
            let site: Site?
            switch lookup {
            case "contenturl": site = world.sites.first { $0.contentUrl.lowercased() == key.lowercased() }
            case "name": site = world.sites.first { $0.name == key }
            default: site = world.sites.first { $0.id == key }
            }
            guard let site else { throw .notFound("404000", "Site '\(key)' could not be found.") }
            let role = world.sites.first { $0.id == session.siteId }?.users[session.userId]?.siteRole
            guard site.id == session.siteId || role == "ServerAdministrator" else {
                throw .forbidden("You are signed in to a different site and may not read site '\(key)'.")
            }
            return .ok(ItemElements.site(site))
        }
    }

    func listProjects(_ call: Call, siteId: String) throws(EmulatorError) -> Reply {
        let query = try ListQuery(call.query, fields: Project.queryFields)
        let projects = try state.withWorld { world, now throws(EmulatorError) in
            let (_, index) = try authenticate(call, siteId: siteId, in: &world, now: now, scope: "tableau:projects:read")
            return world.sites[index].projects.items
        }
        let (page, total) = query.apply(to: projects)
        return .ok(query.pagination(total: total), .list("projects", page.map { query.select(ItemElements.project($0)) }))
    }
}
