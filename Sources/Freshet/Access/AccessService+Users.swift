import Foundation

/// A site-role change made by an administrator (not by an access event).
package struct SiteRoleChange: Sendable, Equatable, Codable {
    /// The user as Tableau reports it after the change.
    package var user: SiteUser
    package var previousRole: String
    /// False when the user already had the role (Tableau was not asked to change it).
    package var changed: Bool

    package init(user: SiteUser, previousRole: String, changed: Bool) {
        self.user = user
        self.previousRole = previousRole
        self.changed = changed
    }
}

extension AccessService {
    /// Roles an administrator may set directly: the grantable ones and Unlicensed.
    package static let settableRoles = SiteRoles.grantable + [SiteRoles.unlicensed]

    /// One page of the site's users. Throws ``AccessError`` (a non-administrator PAT gets the
    /// health check's permission message).
    package func users(_ query: UserListQuery, gateway: any AccessGateway) async throws(AccessError) -> UserPage {
        do throws(GatewayError) { return try await gateway.users(query) } catch { throw .userManagement(error) }
    }

    /// The user whose username or email is `identity`; ``AccessError/userNotOnSite(_:)`` when none.
    package func user(_ identity: String, gateway: any AccessGateway) async throws(AccessError) -> SiteUser {
        let identity = identity.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !identity.isEmpty else { throw .invalidRequest("Name the user by Tableau username or email") }
        let user: SiteUser?
        do throws(GatewayError) { user = try await gateway.user(identifiedBy: identity) } catch { throw .userManagement(error) }
        guard let user else { throw .userNotOnSite(identity) }
        return user
    }

    /// Sets a user's site role (a grantable role or Unlicensed); audited as
    /// "users.site_role_set" whether it succeeds or not.
    package func setSiteRole(
        connection: String, user identity: String, role: String, actor: String, gateway: any AccessGateway
    ) async throws -> SiteRoleChange {
        let connection = try await self.connection(connection)
        let change: SiteRoleChange
        do {
            change = try await changeRole(of: identity, to: role, gateway: gateway)
        } catch {
            try await audit.append(
                AuditEvent(
                    time: now(), actor: actor, action: "users.site_role_set", target: identity, outcome: "failure",
                    details: ["connection": connection.name, "newRole": role, "error": String(error.description.prefix(500))]
                )
            )
            throw error
        }
        try await audit.append(
            AuditEvent(
                time: now(), actor: actor, action: "users.site_role_set", target: change.user.name, outcome: "success",
                details: ["connection": connection.name, "previousRole": change.previousRole, "newRole": role, "changed": String(change.changed)]
            )
        )
        return change
    }

    func changeRole(of identity: String, to role: String, gateway: any AccessGateway) async throws(AccessError) -> SiteRoleChange {
        guard Self.settableRoles.contains(role) else {
            throw .invalidRole(role, allowed: Self.settableRoles)
        }
        let user = try await user(identity, gateway: gateway)
        var change = SiteRoleChange(user: user, previousRole: user.siteRole, changed: false)
        guard user.siteRole != role else { return change }
        do throws(GatewayError) {
            var updated = try await gateway.setSiteRole(userId: user.id, role: role)
            if updated.id.isEmpty { updated.id = user.id }
            change.user = updated
            change.changed = true
            return change
        } catch {
            throw .userManagement(error)
        }
    }
}
