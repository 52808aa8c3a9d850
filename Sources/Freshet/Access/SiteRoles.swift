/// The site roles an access event may grant or revoke, and the role deprovisioning sets.
package enum SiteRoles {
    /// Exactly the roles DESIGN.md lets access management grant, in Tableau's spelling.
    package static let grantable = [
        "Viewer", "Explorer", "ExplorerCanPublish", "Creator", "SiteAdministratorExplorer", "SiteAdministratorCreator",
    ]

    /// The role a matching revocation sets.
    package static let unlicensed = "Unlicensed"

    /// Whether `role` is one of ``grantable`` (exact spelling, as Tableau's REST API requires).
    package static func isGrantable(_ role: String) -> Bool {
        grantable.contains(role)
    }

    /// "Viewer, Explorer, …, SiteAdministratorCreator".
    package static var grantableList: String {
        grantable.joined(separator: ", ")
    }
}
