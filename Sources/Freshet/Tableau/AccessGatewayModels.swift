package import Foundation

/// A user of a Tableau site, as user management sees it.
package struct SiteUser: Sendable, Equatable, Codable {
    package var id: String
    /// The Tableau username (often an email address).
    package var name: String
    package var fullName: String?
    package var email: String?
    package var siteRole: String
    package var authSetting: String?
    package var lastLogin: Date?

    package init(
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
package struct Paging: Sendable, Equatable, Codable {
    package var pageNumber: Int
    package var pageSize: Int
    package var totalAvailable: Int

    package init(pageNumber: Int, pageSize: Int, totalAvailable: Int) {
        self.pageNumber = pageNumber
        self.pageSize = pageSize
        self.totalAvailable = totalAvailable
    }

    /// Whether pages after this one hold more items.
    package var hasMore: Bool { pageNumber * pageSize < totalAvailable }
}

/// Which users to list: Tableau's paging and `eq` filters on name, email and site role.
package struct UserListQuery: Sendable, Equatable, Codable {
    /// 1-based.
    package var pageNumber: Int
    /// 1…1000 (Tableau's bounds).
    package var pageSize: Int
    package var name: String?
    package var email: String?
    package var siteRole: String?

    package init(pageNumber: Int = 1, pageSize: Int = 100, name: String? = nil, email: String? = nil, siteRole: String? = nil) {
        self.pageNumber = max(1, pageNumber)
        self.pageSize = max(1, min(pageSize, 1000))
        self.name = name
        self.email = email
        self.siteRole = siteRole
    }
}

/// One page of site users.
package struct UserPage: Sendable, Equatable, Codable {
    package var users: [SiteUser]
    package var paging: Paging

    package init(users: [SiteUser], paging: Paging) {
        self.users = users
        self.paging = paging
    }
}
