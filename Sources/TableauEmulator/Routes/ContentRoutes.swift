import Foundation

extension Routes {
    static func readScope(_ kind: ContentKind) -> String {
        kind == .workbook ? "tableau:workbooks:read" : "tableau:datasources:read"
    }

    func listContent(_ kind: ContentKind, _ call: Call, siteId: String) throws(EmulatorError) -> Reply {
        let query = try ListQuery(call.query, fields: ContentItem.queryFields)
        let (items, site) = try state.withWorld { world, now throws(EmulatorError) in
            let (session, index) = try authenticate(call, siteId: siteId, in: &world, now: now)
            try requireContentRead(session, kind: kind)
            let site = world.sites[index]
            return (site.content(kind).items, site)
        }
        let (page, total) = query.apply(to: items)
        let base = webBase(call)
        let fieldsKey = query.fields.map { $0.sorted().joined(separator: ",") } ?? "_default_"
        let json = call.wantsJSON
        let elements = page.map { item in
            state.renderCache.element(item.kind.rawValue, key: "\(item.id)|\(item.revision)|\(base)|\(fieldsKey)", json: json) {
                query.select(ItemElements.content(item, site: site, webBase: base))
            }
        }
        return .ok(query.pagination(total: total), .list(kind.rawValue + "s", elements))
    }

    func getContent(_ kind: ContentKind, _ call: Call, siteId: String, id: String) throws(EmulatorError) -> Reply {
        let base = webBase(call)
        return try state.withWorld { world, now throws(EmulatorError) in
            let (session, index) = try authenticate(call, siteId: siteId, in: &world, now: now)
            try requireContentRead(session, kind: kind)
            let site = world.sites[index]
            guard let item = site.content(kind)[id] else { throw Routes.contentNotFound(kind, id) }
            return .ok(kind == .workbook ? ItemElements.workbookWithViews(item, site: site, webBase: base) : ItemElements.content(item, site: site, webBase: base))
        }
    }

    /// Query Views for Workbook (what tableauserverclient's `populate_views` calls).
    func workbookViews(_ call: Call, siteId: String, id: String) throws(EmulatorError) -> Reply {
        try state.withWorld { world, now throws(EmulatorError) in
            let (session, index) = try authenticate(call, siteId: siteId, in: &world, now: now)
            try requireContentRead(session, kind: .workbook)
            guard let workbook = world.sites[index].workbooks[id] else { throw Routes.contentNotFound(.workbook, id) }
            let views = ItemElements.workbookWithViews(workbook, site: world.sites[index], webBase: webBase(call)).children.last!
            return .ok(views)
        }
    }

    /// JWT sessions need `tableau:content:read` or the item type's own read scope.
    func requireContentRead(_ session: Session, kind: ContentKind) throws(EmulatorError) {
        guard session.allows("tableau:content:read") || session.allows(Routes.readScope(kind)) else {
            throw .forbidden("The connected app token does not grant the scope 'tableau:content:read' this method requires.", code: "403004")
        }
    }

    static func contentNotFound(_ kind: ContentKind, _ id: String) -> EmulatorError {
        kind == .workbook
            ? .notFound("404006", "Workbook '\(id)' could not be found.")
            : .notFound("404011", "Datasource '\(id)' could not be found.")
    }

    /// Update Workbook Now / Update Data Source Now.
    func refresh(_ kind: ContentKind, _ call: Call, siteId: String, id: String) throws(EmulatorError) -> Reply {
        let document = try call.document()
        let incremental = document.child("extractRefresh")?["incremental"]?.lowercased() == "true"
        return try state.withWorld { world, now throws(EmulatorError) in
            let (session, index) = try authenticate(call, siteId: siteId, in: &world, now: now, scope: "tableau:tasks:run")
            let job = try startRefresh(kind, itemId: id, incremental: incremental, session: session, siteIndex: index, world: &world, now: now)
            return .status(202, ItemElements.acceptedJob(job))
        }
    }

    /// Queues a refresh job, refusing live items (409090) and duplicates (409093) as Tableau does.
    func startRefresh(
        _ kind: ContentKind, itemId: String, incremental: Bool, session: Session, siteIndex: Int, world: inout World, now: Date
    ) throws(EmulatorError) -> Job {
        let site = world.sites[siteIndex]
        guard var item = site.content(kind)[itemId] else { throw Routes.contentNotFound(kind, itemId) }
        guard let user = site.users[session.userId], SiteRole.canRefresh.contains(user.siteRole) else {
            throw .forbidden("The user does not have permission to refresh the extract of \(kind.label.lowercased()) '\(item.name)'.")
        }
        guard item.hasExtracts else {
            throw .conflict(
                "409090", "Bad Request",
                "Extract operation for the \(kind.label.lowercased()) '\(item.id)' is not allowed.. (Extract operation for the \(kind.label.lowercased()) is not allowed.)"
            )
        }
        if world.activeJob(for: item.id) != nil {
            throw .conflict("409093", "Resource Conflict", "Job for '\(item.name)' is already queued. Not queuing a duplicate.")
        }
        var outcome = item.refresh.outcome(forAttempt: item.refreshAttempts)
        var (duration, notes) = (item.refresh.durationSeconds, item.refresh.notes)
        if site.tasks.contains(where: { $0.itemId == item.id && $0.suspended }) {
            (outcome, duration) = (.failure, 0)
            notes = "The extract refresh task for '\(item.name)' is suspended. Resume it on the Tasks page to refresh the extract."
        }
        item.refreshAttempts += 1
        world.sites[siteIndex].updateContent(item)
        let job = Job(
            id: UUID().uuidString.lowercased(), siteId: site.id, kind: kind, itemId: item.id, itemName: item.name,
            incremental: incremental, createdAt: now, readyAt: now.addingTimeInterval(item.refresh.queueSeconds), startedAt: nil,
            completedAt: nil, finishCode: nil, notes: nil, outcome: outcome, duration: duration, failureNotes: notes,
            timeLimit: site.refreshTimeLimit
        )
        world.jobs[job.id] = job
        world.activeJobIds.append(job.id)
        return job
    }
}
