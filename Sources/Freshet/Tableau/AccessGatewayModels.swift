public import Foundation

/// A user of a Tableau site, as user management sees it.
public struct SiteUser: Sendable, Equatable, Codable {
    public var id: String
    /// The Tableau username (often an email address).
    public var name: String
    public var fullName: String?
    public var email: String?
    public var siteRole: String
    public var authSetting: String?
    public var lastLogin: Date?

    public init(
        id: String, name: String, fullName: String? = nil, email: String? = nil, siteRole: String, authSetting: String? = nil,
        lastLogin: Date? = nil
    ) {
        self.id = id
        self.name = name
        self.fullName = fullName
        self.email = email
        self.siteRole = siteRole
        self.authSetting = authSetting
        self.lastLogin = lastLogin
    }
}

/// Tableau's paging of a list, carried through unchanged (1-based page number).
public struct Paging: Sendable, Equatable, Codable {
    public var pageNumber: Int
    public var pageSize: Int
    public var totalAvailable: Int

    public init(pageNumber: Int, pageSize: Int, totalAvailable: Int) {
        self.pageNumber = pageNumber
        self.pageSize = pageSize
        self.totalAvailable = totalAvailable
    }

    /// Whether pages after this one hold more items.
    public var hasMore: Bool { pageNumber * pageSize < totalAvailable }
}

/// Which users to list: Tableau's paging and `eq` filters on name, email and site role.
public struct UserListQuery: Sendable, Equatable, Codable {
    /// 1-based.
    public var pageNumber: Int
    /// 1…1000 (Tableau's bounds).
    public var pageSize: Int
    public var name: String?
    public var email: String?
    public var siteRole: String?

    public init(pageNumber: Int = 1, pageSize: Int = 100, name: String? = nil, email: String? = nil, siteRole: String? = nil) {
        self.pageNumber = max(1, pageNumber)
        self.pageSize = max(1, min(pageSize, 1000))
        self.name = name
        self.email = email
        self.siteRole = siteRole
    }
}

/// One page of site users.
public struct UserPage: Sendable, Equatable, Codable {
    public var users: [SiteUser]
    public var paging: Paging

    public init(users: [SiteUser], paging: Paging) {
        self.users = users
        self.paging = paging
    }
}
