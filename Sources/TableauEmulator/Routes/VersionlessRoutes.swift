import Foundation
import HTTPTypes

/// The versionless `/api/-/…` endpoints: JSON only; the site is the session's (REST-API.md §11).
extension Routes {
    func versionless(_ call: Call) throws(EmulatorError) -> Reply {
        let s = call.segments.map { $0.lowercased() }
        let method = call.method.rawValue
        switch (s.first, s.count, method) {
        case ("search", 1, "GET"): return try search(call)
        case ("content", 4, "GET") where s[1] == "usage-stats": return try usageStats(call, type: s[2], id: call.segments[3])
        case ("content", 2, "POST") where s[1] == "usage-stats": return try usageStatsBatch(call)
        case ("collections", 1, "GET"): return try listCollections(call)
        case ("collections", 2, "GET"): return try getCollection(call, id: call.segments[1])
        case ("collections", 3, "GET") where s[2] == "items": return try collectionItems(call, id: call.segments[1])
        case ("search", _, _), ("content", _, _), ("collections", _, _): throw .methodNotAllowed(method, call.path)
        default: throw .unknownResource(call.path)
        }
    }

    /// The session's site, for versionless calls.
    private func sessionSite(_ call: Call, scope: String) throws(EmulatorError) -> Site {
        try state.withWorld { world, now throws(EmulatorError) in
            let session = try authenticate(call, in: &world, now: now)
            guard session.allows(scope) else {
                throw .forbidden("The connected app token does not grant the scope '\(scope)' this method requires.", code: "403004")
            }
            guard let site = world.sites.first(where: { $0.id == session.siteId }) else { throw .invalidCredentials }
            return site
        }
    }

    static func json(_ object: Any, status: Int = 200) -> Reply {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return .json(status, String(decoding: data, as: UTF8.self))
    }

    func search(_ call: Call) throws(EmulatorError) -> Reply {
        let site = try sessionSite(call, scope: "tableau:content:read")
        let terms = (call.query["terms"] ?? "").lowercased().split(whereSeparator: { $0 == " " || $0 == "," }).map(String.init)
        let limit = max(1, min(Int(call.query["limit"] ?? "") ?? 10, 2000))
        let page = max(0, Int(call.query["page"] ?? "") ?? 0)
        var types: Set<String>?
        if let filter = call.query["filter"], !filter.isEmpty {
            for expression in try FilterExpression.parse(filter, allowed: ["type", "ownerId", "modifiedTime"]) where expression.field == "type" {
                types = Set(expression.values.map { $0.lowercased() })
            }
        }
        var hits: [[String: Any]] = []
        func consider(type: String, luid: String, title: String, owner: User?, project: String, usage: UsageCounts, tags: [String], modified: Date, created: Date) {
            if let types, !types.contains(type) { return }
            let text = title.lowercased()
            if !terms.isEmpty && !terms.contains(where: { text.contains($0) }) { return }
            hits.append([
                "uri": "tableau:\(type):\(luid)",
                "content": [
                    "type": type, "luid": luid, "title": title, "ownerName": owner?.fullName ?? "", "ownerEmail": owner?.email ?? "",
                    "ownerId": abs(luid.hashValue % 100_000), "projectName": project, "containerName": project,
                    "hitsTotal": usage.hitsTotal, "hitsSmallSpanTotal": usage.hitsLastTwoWeeksTotal,
                    "hitsMediumSpanTotal": usage.hitsLastOneMonthTotal, "hitsLargeSpanTotal": usage.hitsLastThreeMonthsTotal,
                    "favoritesTotal": 0, "modifiedTime": TableauDate.format(modified), "createdTime": TableauDate.format(created),
                    "tags": tags,
                ] as [String: Any],
            ])
        }
        for kind in [ContentKind.workbook, .datasource] {
            for item in site.content(kind).items {
                consider(type: kind.rawValue, luid: item.id, title: item.name, owner: site.users[item.ownerId], project: item.projectName, usage: item.usage, tags: item.tags, modified: item.updatedAt, created: item.createdAt)
            }
        }
        for project in site.projects.items {
            consider(type: "project", luid: project.id, title: project.name, owner: site.users[project.ownerId], project: project.name, usage: UsageCounts(), tags: [], modified: project.updatedAt, created: project.createdAt)
        }
        if (call.query["order_by"] ?? "").hasPrefix("hitsTotal") {
            let descending = !(call.query["order_by"] ?? "").hasSuffix(":asc")
            hits.sort { lhs, rhs in
                let a = (lhs["content"] as? [String: Any])?["hitsTotal"] as? Int ?? 0
                let b = (rhs["content"] as? [String: Any])?["hitsTotal"] as? Int ?? 0
                return descending ? a > b : a < b
            }
        }
        let start = page * limit
        let items = start < hits.count ? Array(hits[start..<min(start + limit, hits.count)]) : []
        var result: [String: Any] = ["total": hits.count, "pageIndex": page, "startIndex": start, "limit": limit, "items": items]
        let base = "/api/-/search?terms=\(call.query["terms"] ?? "")&limit=\(limit)"
        if start + limit < hits.count { result["next"] = base + "&page=\(page + 1)" }
        if page > 0 { result["prev"] = base + "&page=\(page - 1)" }
        return Routes.json(["hits": result])
    }

    private func contentKind(_ type: String) throws(EmulatorError) -> ContentKind {
        switch type.lowercased() {
        case "workbooks", "workbook": return .workbook
        case "datasources", "datasource": return .datasource
        default: throw .badRequest("Content type '\(type)' is not supported for usage statistics.")
        }
    }

    private static func usage(_ counts: UsageCounts) -> [String: Any] {
        [
            "hitsTotal": counts.hitsTotal, "hitsLastTwoWeeksTotal": counts.hitsLastTwoWeeksTotal,
            "hitsLastOneMonthTotal": counts.hitsLastOneMonthTotal, "hitsLastThreeMonthsTotal": counts.hitsLastThreeMonthsTotal,
            "hitsLastTwelveMonthsTotal": counts.hitsLastTwelveMonthsTotal,
        ]
    }

    func usageStats(_ call: Call, type: String, id: String) throws(EmulatorError) -> Reply {
        let site = try sessionSite(call, scope: "tableau:content:read")
        let kind = try contentKind(type)
        guard let item = site.content(kind)[id] else { throw Routes.contentNotFound(kind, id) }
        return Routes.json(Routes.usage(item.usage))
    }

    /// Batch usage stats; counts come back as strings, as observed on real servers.
    func usageStatsBatch(_ call: Call) throws(EmulatorError) -> Reply {
        let site = try sessionSite(call, scope: "tableau:content:read")
        let document = try call.document()
        var results: [[String: Any]] = []
        for entry in document.children where entry.name == "content_items" {
            guard let type = entry["type"], let luid = entry["luid"] else { continue }
            let kind = try contentKind(type)
            guard let item = site.content(kind)[luid] else { continue }
            let usage = Routes.usage(item.usage).mapValues { "\($0)" }
            results.append(["content": ["luid": luid, "type": kind.rawValue], "usage": usage])
        }
        return Routes.json(["content_items": results])
    }

    private func collectionJSON(_ collection: Collection, site: Site) -> [String: Any] {
        [
            "luid": collection.id, "name": collection.name, "description": collection.description,
            "ownerLuid": collection.ownerId, "ownerName": site.users[collection.ownerId]?.name ?? "",
            "visibility": collection.visibility, "totalItemCount": collection.items.count,
            "createdAt": TableauDate.format(collection.createdAt), "updatedAt": TableauDate.format(collection.updatedAt),
        ]
    }

    func listCollections(_ call: Call) throws(EmulatorError) -> Reply {
        let site = try sessionSite(call, scope: "tableau:content:read")
        let query = try ListQuery(call.query, fields: [])
        let all = site.collections
        let start = (query.pageNumber - 1) * query.pageSize
        let page = start < all.count ? Array(all[start..<min(start + query.pageSize, all.count)]) : []
        return Routes.json([
            "pagination": ["pageNumber": "\(query.pageNumber)", "pageSize": "\(query.pageSize)", "totalAvailable": "\(all.count)"],
            "collections": page.map { collectionJSON($0, site: site) },
        ])
    }

    func getCollection(_ call: Call, id: String) throws(EmulatorError) -> Reply {
        let site = try sessionSite(call, scope: "tableau:content:read")
        guard let collection = site.collections.first(where: { $0.id == id }) else {
            throw .notFound("404000", "Collection '\(id)' could not be found.")
        }
        return Routes.json(["collection": collectionJSON(collection, site: site)])
    }

    func collectionItems(_ call: Call, id: String) throws(EmulatorError) -> Reply {
        let site = try sessionSite(call, scope: "tableau:content:read")
        guard let collection = site.collections.first(where: { $0.id == id }) else {
            throw .notFound("404000", "Collection '\(id)' could not be found.")
        }
        let query = try ListQuery(call.query, fields: [])
        let items: [[String: Any]] = collection.items.compactMap { reference in
            guard let item = site.content(reference.kind)[reference.id] else { return nil }
            return ["type": reference.kind.rawValue, "luid": item.id, "name": item.name, "projectName": item.projectName]
        }
        let start = (query.pageNumber - 1) * query.pageSize
        let page = start < items.count ? Array(items[start..<min(start + query.pageSize, items.count)]) : []
        return Routes.json([
            "pagination": ["pageNumber": "\(query.pageNumber)", "pageSize": "\(query.pageSize)", "totalAvailable": "\(items.count)"],
            "items": page,
        ])
    }
}
