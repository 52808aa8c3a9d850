import Freshet

/// `PUT /api/v1/connections/{connection}/users/{user}/site-role`: `{"siteRole": "Explorer"}`.
struct SiteRoleBody: JSONRequestBody {
    var siteRole: String

    static let shape = JSONShape.object(["siteRole": .value])
}
