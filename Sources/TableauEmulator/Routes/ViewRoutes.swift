import Foundation

/// Query Views for Site and Get View (`GET sites/{site}/views[/{id}]`).
extension Routes {
    /// JWT sessions need `tableau:content:read` or `tableau:views:read`.
    func requireViewRead(_ session: Session) throws(EmulatorError) {
        guard session.allows("tableau:content:read") || session.allows("tableau:views:read") else {
            throw .forbidden("The connected app token does not grant the scope 'tableau:content:read' this method requires.", code: "403004")
        }
    }

    /// Every view of every workbook, paged, filtered and sorted; `includeUsageStatistics=true` adds `<usage>`.
    func listViews(_ call: Call, siteId: String) throws(EmulatorError) -> Reply {
        let query = try ListQuery(call.query, fields: ViewRow.queryFields)
        let usage = call.query["includeUsageStatistics"]?.lowercased() == "true"
        let (rows, site) = try state.withWorld { world, now throws(EmulatorError) in
            let (session, index) = try authenticate(call, siteId: siteId, in: &world, now: now)
            try requireViewRead(session)
            let site = world.sites[index]
            return (site.workbooks.items.flatMap { workbook in workbook.views.map { ViewRow(view: $0, workbook: workbook) } }, site)
        }
        let (page, total) = query.apply(to: rows)
        let base = webBase(call)
        let elements = page.map { query.select(ItemElements.view($0, site: site, webBase: base, usage: usage)) }
        return .ok(query.pagination(total: total), .list("views", elements))
    }

    func getView(_ call: Call, siteId: String, id: String) throws(EmulatorError) -> Reply {
        let usage = call.query["includeUsageStatistics"]?.lowercased() == "true"
        let base = webBase(call)
        return try state.withWorld { world, now throws(EmulatorError) in
            let (session, index) = try authenticate(call, siteId: siteId, in: &world, now: now)
            try requireViewRead(session)
            let site = world.sites[index]
            for workbook in site.workbooks.items {
                if let view = workbook.views.first(where: { $0.id == id }) {
                    return .ok(ItemElements.view(ViewRow(view: view, workbook: workbook), site: site, webBase: base, usage: usage))
                }
            }
            throw .notFound("404000", "View '\(id)' could not be found.")
        }
    }
}
