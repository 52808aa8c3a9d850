/// Why a user-management call or an access event was refused or failed, in words an operator
/// can act on. Never carries a secret.
package enum AccessError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The role is not one of `allowed` (for events: ``SiteRoles/grantable``).
    case invalidRole(String, allowed: [String] = SiteRoles.grantable)
    /// No user with this name or email on the site: Freshet never creates accounts.
    case userNotOnSite(String)
    /// The connection's PAT is not a site (or server) administrator.
    case notSiteAdministrator(tableau: String)
    /// The event or request is incomplete or malformed (missing event id, user…); `field` names
    /// the input at fault when one does.
    case invalidRequest(String, field: String? = nil)
    /// No connection with this name (or id).
    case connectionNotFound(String)
    /// Tableau refused or could not be reached, in Tableau's words.
    case tableau(GatewayError)

    package var description: String {
        switch self {
        case .invalidRole(let role, let allowed):
            return "\"\(role)\" is not a site role Freshet can \(allowed == SiteRoles.grantable ? "grant or revoke" : "set"). "
                + "Valid roles: \(allowed.joined(separator: ", "))."
        case .userNotOnSite(let user):
            return "No user \"\(user)\" on the Tableau site (looked up by name and by email). Freshet never creates accounts: "
                + "ask the user to sign in to Tableau once (for example through SSO), then send the event again."
        case .notSiteAdministrator:
            return HealthChecker.usersForbidden
        case .invalidRequest(let message, _):
            return message
        case .connectionNotFound(let name):
            return "No connection named \"\(name)\""
        case .tableau(let error):
            return error.message
        }
    }

    /// Whether a Freshet rule or Tableau refused (as opposed to Tableau being unreachable or a
    /// malformed request): the CLI exits 1, an HTTP route answers 4xx/422.
    package var isRefusal: Bool {
        switch self {
        case .invalidRole, .userNotOnSite, .notSiteAdministrator: true
        case .tableau(let error): !error.isUnreachable
        case .invalidRequest, .connectionNotFound: false
        }
    }

    /// Maps a gateway failure: HTTP 403 on user management means the PAT is not an administrator.
    static func userManagement(_ error: GatewayError) -> AccessError {
        error.isForbidden ? .notSiteAdministrator(tableau: error.message) : .tableau(error)
    }
}

