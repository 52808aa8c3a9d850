/// A collection of content.
public struct ContentCollectionInfo: Sendable, Equatable, Codable {
    public var id: String
    public var name: String
    public var description: String
    public var visibility: String?
    public var totalItemCount: Int?

    public init(id: String, name: String, description: String, visibility: String? = nil, totalItemCount: Int? = nil) {
        self.id = id
        self.name = name
        self.description = description
        self.visibility = visibility
        self.totalItemCount = totalItemCount
    }
}

/// One page of collections, with Tableau's paging.
public struct CollectionPage: Sendable, Equatable, Codable {
    public var collections: [ContentCollectionInfo]
    public var paging: Paging

    public init(collections: [ContentCollectionInfo], paging: Paging) {
        self.collections = collections
        self.paging = paging
    }
}

/// A content search: terms, optional content types, Tableau's 0-based page and limit.
public struct ContentSearchQuery: Sendable, Equatable, Codable {
    public var terms: String
    /// workbook, datasource, project, view, flow, … (empty: all).
    public var types: [String]
    /// 0-based, as Tableau's search counts pages.
    public var page: Int
    /// 1…2000.
    public var limit: Int

    public init(terms: String, types: [String] = [], page: Int = 0, limit: Int = 10) {
        self.terms = terms
        self.types = types
        self.page = max(0, page)
        self.limit = max(1, min(limit, 2000))
    }
}

/// One search hit.
public struct ContentSearchHit: Sendable, Equatable, Codable {
    public var type: String
    public var id: String
    public var title: String
    public var projectName: String?
    public var ownerName: String?
    public var hitsTotal: Int?

    public init(type: String, id: String, title: String, projectName: String? = nil, ownerName: String? = nil, hitsTotal: Int? = nil) {
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
public struct ContentSearchPage: Sendable, Equatable, Codable {
    public var hits: [ContentSearchHit]
    public var pageIndex: Int
    public var limit: Int
    public var total: Int
    public var hasNext: Bool

    public init(hits: [ContentSearchHit], pageIndex: Int, limit: Int, total: Int, hasNext: Bool) {
        self.hits = hits
        self.pageIndex = pageIndex
        self.limit = limit
        self.total = total
        self.hasNext = hasNext
    }
}

/// What usage statistics exist for.
public enum UsageContentType: String, Sendable, Equatable, Codable, CaseIterable {
    case workbook
    case datasource
}

/// Usage counters of one item.
public struct ContentUsage: Sendable, Equatable, Codable {
    public var type: UsageContentType
    public var id: String
    public var hitsTotal: Int
    public var hitsLastTwoWeeksTotal: Int
    public var hitsLastOneMonthTotal: Int
    public var hitsLastThreeMonthsTotal: Int
    public var hitsLastTwelveMonthsTotal: Int

    public init(
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
public struct TableauServerInfo: Sendable, Equatable, Codable {
    public var productVersion: String
    public var build: String
    public var restApiVersion: String

    public init(productVersion: String, build: String, restApiVersion: String) {
        self.productVersion = productVersion
        self.build = build
        self.restApiVersion = restApiVersion
    }
}

/// What `sessions/current` reports (never the token).
public struct TableauSessionInfo: Sendable, Equatable, Codable {
    public var siteId: String
    public var siteName: String
    public var siteContentUrl: String
    public var userId: String
    public var userName: String
    public var siteRole: String

    public init(siteId: String, siteName: String, siteContentUrl: String, userId: String, userName: String, siteRole: String) {
        self.siteId = siteId
        self.siteName = siteName
        self.siteContentUrl = siteContentUrl
        self.userId = userId
        self.userName = userName
        self.siteRole = siteRole
    }
}
