/// A collection of content.
package struct ContentCollectionInfo: Sendable, Equatable, Codable {
    package var id: String
    package var name: String
    package var description: String
    package var visibility: String?
    package var totalItemCount: Int?

    package init(id: String, name: String, description: String, visibility: String? = nil, totalItemCount: Int? = nil) {
        self.id = id
        self.name = name
        self.description = description
        self.visibility = visibility
        self.totalItemCount = totalItemCount
    }
}

/// One page of collections, with Tableau's paging.
package struct CollectionPage: Sendable, Equatable, Codable {
    package var collections: [ContentCollectionInfo]
    package var paging: Paging

    package init(collections: [ContentCollectionInfo], paging: Paging) {
        self.collections = collections
        self.paging = paging
    }
}

/// A content search: terms, optional content types, Tableau's 0-based page and limit.
package struct ContentSearchQuery: Sendable, Equatable, Codable {
    package var terms: String
    /// workbook, datasource, project, view, flow, … (empty: all).
    package var types: [String]
    /// 0-based, as Tableau's search counts pages.
    package var page: Int
    /// 1…2000.
    package var limit: Int

    package init(terms: String, types: [String] = [], page: Int = 0, limit: Int = 10) {
        self.terms = terms
        self.types = types
        self.page = max(0, page)
        self.limit = max(1, min(limit, 2000))
    }
}

/// One search hit.
package struct ContentSearchHit: Sendable, Equatable, Codable {
    package var type: String
    package var id: String
    package var title: String
    package var projectName: String?
    package var ownerName: String?
    package var hitsTotal: Int?

    package init(type: String, id: String, title: String, projectName: String? = nil, ownerName: String? = nil, hitsTotal: Int? = nil) {
        self.type = type
        self.id = id
        self.title = title
        self.projectName = projectName
        self.ownerName = ownerName
        self.hitsTotal = hitsTotal
    }
}

/// One page of search hits with Tableau's paging (0-based page index, total, whether a next
/// page exists).
package struct ContentSearchPage: Sendable, Equatable, Codable {
    package var hits: [ContentSearchHit]
    package var pageIndex: Int
    package var limit: Int
    package var total: Int
    package var hasNext: Bool

    package init(hits: [ContentSearchHit], pageIndex: Int, limit: Int, total: Int, hasNext: Bool) {
        self.hits = hits
        self.pageIndex = pageIndex
        self.limit = limit
        self.total = total
        self.hasNext = hasNext
    }
}

/// What usage statistics exist for.
package enum UsageContentType: String, Sendable, Equatable, Codable, CaseIterable {
    case workbook
    case datasource
}

/// Usage counters of one item.
package struct ContentUsage: Sendable, Equatable, Codable {
    package var type: UsageContentType
    package var id: String
    package var hitsTotal: Int
    package var hitsLastTwoWeeksTotal: Int
    package var hitsLastOneMonthTotal: Int
    package var hitsLastThreeMonthsTotal: Int
    package var hitsLastTwelveMonthsTotal: Int

    package init(
        type: UsageContentType, id: String, hitsTotal: Int, hitsLastTwoWeeksTotal: Int, hitsLastOneMonthTotal: Int,
        hitsLastThreeMonthsTotal: Int, hitsLastTwelveMonthsTotal: Int
    ) {
        self.type = type
        self.id = id
        self.hitsTotal = hitsTotal
        self.hitsLastTwoWeeksTotal = hitsLastTwoWeeksTotal
        self.hitsLastOneMonthTotal = hitsLastOneMonthTotal
        self.hitsLastThreeMonthsTotal = hitsLastThreeMonthsTotal
        self.hitsLastTwelveMonthsTotal = hitsLastTwelveMonthsTotal
    }
}

/// What `serverinfo` reports.
package struct TableauServerInfo: Sendable, Equatable, Codable {
    package var productVersion: String
    package var build: String
    package var restApiVersion: String

    package init(productVersion: String, build: String, restApiVersion: String) {
        self.productVersion = productVersion
        self.build = build
        self.restApiVersion = restApiVersion
    }
}

/// What `sessions/current` reports (never the token).
package struct TableauSessionInfo: Sendable, Equatable, Codable {
    package var siteId: String
    package var siteName: String
    package var siteContentUrl: String
    package var userId: String
    package var userName: String
    package var siteRole: String

    package init(siteId: String, siteName: String, siteContentUrl: String, userId: String, userName: String, siteRole: String) {
        self.siteId = siteId
        self.siteName = siteName
        self.siteContentUrl = siteContentUrl
        self.userId = userId
        self.userName = userName
        self.siteRole = siteRole
    }
}
