/// What the provisioning rules decide for one event, before Tableau is changed.
package enum AccessDecision: Sendable, Equatable {
    /// Set the user's site role to this.
    case setRole(String)
    /// Change nothing, for this reason.
    case unchanged(String)
    /// Refuse the event.
    case refuse(AccessError)
}

/// DESIGN.md's access-management rules as pure functions.
///
/// - Granted: the role must be grantable; the user must exist on the site (never create one);
///   then the site role becomes the granted role.
/// - Revoked: Unlicensed only when the revoked role is the user's current site role; otherwise
///   nothing changes (a stale or secondary grant). Never delete a user.
package enum AccessRules {
    /// Whether an event's role can be acted on at all (checked before Tableau is asked).
    package static func checkRole(_ role: String) -> AccessError? {
        SiteRoles.isGrantable(role) ? nil : .invalidRole(role)
    }

    /// The decision for `type` of `role`, given the user Tableau found (nil: not on the site).
    package static func decide(_ type: AccessEventKind, role: String, identity: String, user: SiteUser?) -> AccessDecision {
        if let error = checkRole(role) { return .refuse(error) }
        switch type {
        case .granted:
            guard let user else { return .refuse(.userNotOnSite(identity)) }
            if user.siteRole == role { return .unchanged("\(user.name) already has the site role \(role).") }
            return .setRole(role)
        case .revoked:
            guard let user else { return .unchanged("No user \"\(identity)\" on the Tableau site: nothing to revoke.") }
            if user.siteRole == role { return .setRole(SiteRoles.unlicensed) }
            if user.siteRole == SiteRoles.unlicensed { return .unchanged("\(user.name) is already Unlicensed.") }
            return .unchanged(
                "The revoked role \(role) is not \(user.name)'s current site role (\(user.siteRole)): "
                    + "a stale or secondary grant, so nothing changed."
            )
        }
    }
}
