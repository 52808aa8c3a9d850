/// A content-search hit (`/api/-/search`).
public struct SearchHit: Sendable, Equatable {
    public var type: String
    public var luid: String
    public var title: String
    public var projectName: String?
    public var ownerName: String?
    public var hitsTotal: Int?
}

/// One page of content search.
public struct SearchResults: Sendable {
    public var total: Int
    public var pageIndex: Int
    public var hits: [SearchHit]
    /// Whether Tableau reports a next page.
    public var hasNext: Bool
}

/// A collection (`/api/-/collections`).
public struct ContentCollection: Sendable, Equatable {
    public var id: String
    public var name: String
    public var description: String
    public var visibility: String?
    public var totalItemCount: Int?
}

/// Usage counters of one item.
public struct UsageStats: Sendable, Equatable {
    public var hitsTotal: Int
    public var hitsLastTwoWeeksTotal: Int
    public var hitsLastOneMonthTotal: Int
    public var hitsLastThreeMonthsTotal: Int
    public var hitsLastTwelveMonthsTotal: Int

    init(json: JSONValue) {
        hitsTotal = json["hitsTotal"]?.int ?? 0
        hitsLastTwoWeeksTotal = json["hitsLastTwoWeeksTotal"]?.int ?? 0
        hitsLastOneMonthTotal = json["hitsLastOneMonthTotal"]?.int ?? 0
        hitsLastThreeMonthsTotal = json["hitsLastThreeMonthsTotal"]?.int ?? 0
        hitsLastTwelveMonthsTotal = json["hitsLastTwelveMonthsTotal"]?.int ?? 0
    }
}

extension TableauClient {
    /// Versionless content search: `terms`, optional `type` filter (workbook, datasource…), 0-based page.
    public func search(_ terms: String, types: [String] = [], page: Int = 0, limit: Int = 10) async throws(TableauError) -> SearchResults {
        var query = [("terms", terms), ("page", String(page)), ("limit", String(limit))]
        if types.count == 1 { query.append(("filter", "type:eq:\(types[0])")) }
        if types.count > 1 { query.append(("filter", "type:in:[\(types.joined(separator: ","))]")) }
        let json = try await sendJSON("GET", .versionless("search"), query: query)
        let hits = json["hits"]
        let items = (hits?["items"]?.elements ?? []).compactMap { item -> SearchHit? in
            guard let content = item["content"], let luid = content["luid"]?.string else { return nil }
            return SearchHit(
                type: content["type"]?.string ?? "", luid: luid, title: content["title"]?.string ?? "",
                projectName: content["projectName"]?.string, ownerName: content["ownerName"]?.string, hitsTotal: content["hitsTotal"]?.int
            )
        }
        return SearchResults(total: hits?["total"]?.int ?? items.count, pageIndex: hits?["pageIndex"]?.int ?? page, hits: items, hasNext: hits?["next"] != nil)
    }

    /// Usage statistics of one workbook or data source.
    public func usageStats(_ type: ContentType, id: String) async throws(TableauError) -> UsageStats {
        UsageStats(json: try await sendJSON("GET", .versionless("content/usage-stats/\(type.pathSegment)/\(id)")))
    }

    /// Collections of the site, one page.
    public func collections(pageNumber: Int = 1, pageSize: Int = 100) async throws(TableauError) -> Page<ContentCollection> {
        let json = try await sendJSON("GET", .versionless("collections"), query: [("pageNumber", String(pageNumber)), ("pageSize", String(pageSize))])
        let list = json["collections"]?.elements ?? json.list("collections", "collection")
        let items = list.compactMap { item -> ContentCollection? in
            guard let id = item["luid"]?.string ?? item["id"]?.string else { return nil }
            return ContentCollection(
                id: id, name: item["name"]?.string ?? "", description: item["description"]?.string ?? "",
                visibility: item["visibility"]?.string, totalItemCount: item["totalItemCount"]?.int
            )
        }
        return Page(items: items, pagination: Pagination(json: json["pagination"], fallbackCount: items.count))
    }
}
