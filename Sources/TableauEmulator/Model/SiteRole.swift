/// Tableau site roles (REST API 3.0 and later).
enum SiteRole {
    /// Roles that Update User and Add User accept.
    static let assignable: [String] = [
        "Creator", "Explorer", "ExplorerCanPublish", "SiteAdministratorCreator", "SiteAdministratorExplorer",
        "Unlicensed", "Viewer", "ReadOnly",
    ]

    /// Roles that may manage users and query all jobs on a site.
    static let administrators: Set<String> = ["SiteAdministratorCreator", "SiteAdministratorExplorer", "ServerAdministrator"]

    /// Roles that may trigger extract refreshes.
    static let canRefresh: Set<String> = [
        "Creator", "Explorer", "ExplorerCanPublish", "SiteAdministratorCreator", "SiteAdministratorExplorer",
        "ServerAdministrator",
    ]

    static let invalidRoleDetail =
        "The value of the siteRole attribute must be Explorer, ExplorerCanPublish, SiteAdministratorCreator, SiteAdministratorExplorer, Unlicensed, or Viewer."
}
