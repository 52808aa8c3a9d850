package import Foundation

/// Decides whether a token may do an action. Pure: the same token, action and instant always
/// give the same answer.
///
/// Order: a revoked or expired token may do nothing; an admin token may do everything; token
/// management needs an admin token; every other action needs its scope (``TokenAction/requiredScope``);
/// a refresh also needs its content in the token's ``TokenAllowList``; reading a run needs `read`,
/// or `refresh` with the run's content in the allow-list.
package enum Authorizer {
    package static func decide(_ token: APIToken, _ action: TokenAction, now: Date) -> AuthorizationDecision {
        if token.revokedAt != nil { return .denied(Denial(.revoked)) }
        if let expiry = token.expiresAt, now >= expiry { return .denied(Denial(.expired)) }
        if token.isAdmin { return .allowed }
        if case .readRun(let content) = action, !token.scopes.contains(.read), token.scopes.contains(.refresh) {
            return allows(token.allowList, content) ? .allowed : .denied(Denial(.runNotAllowed(content)))
        }
        guard let scope = action.requiredScope else { return .denied(Denial(.adminRequired)) }
        guard token.scopes.contains(scope) else { return .denied(Denial(.missingScope(scope))) }
        if case .refresh(let content) = action, !allows(token.allowList, content) {
            return .denied(Denial(.contentNotAllowed(content)))
        }
        return .allowed
    }

    /// Throws the ``Denial`` when the token may not do the action.
    package static func authorize(_ token: APIToken, _ action: TokenAction, now: Date) throws(Denial) {
        if case .denied(let denial) = decide(token, action, now: now) { throw denial }
    }

    /// Whether `list` allows refreshing `content`.
    package static func allows(_ list: TokenAllowList, _ content: RefreshContent) -> Bool {
        guard TokenAllowList.allows(list.connections, content.connection) else { return false }
        switch content.kind {
        case .project:
            return TokenAllowList.allows(list.projects, content.item)
        case .workbook:
            return allowsProject(list, content.project) || TokenAllowList.allows(list.workbooks, content.item)
        case .datasource:
            return allowsProject(list, content.project) || TokenAllowList.allows(list.datasources, content.item)
        }
    }

    /// Whether the item's project is allowed; an unknown project (Tableau did not say, or a run
    /// stored before Freshet kept projects) only by a pattern matching every project (`*`).
    private static func allowsProject(_ list: TokenAllowList, _ project: ContentName?) -> Bool {
        guard let project else { return list.projects.contains(where: \.matchesEverything) }
        return TokenAllowList.allows(list.projects, project)
    }
}
