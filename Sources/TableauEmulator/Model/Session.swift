import Foundation

/// A signed-in REST session.
struct Session: Sendable {
    enum Method: String, Sendable {
        case personalAccessToken
        case password
        case connectedApp
    }

    var token: String
    var siteId: String
    var userId: String
    var method: Method
    /// The PAT this session was made with; a new sign-in with it ends this session.
    var patName: String?
    /// Connected-app scopes (`scp`); nil for PAT and password sessions, which have no scopes.
    var scopes: [String]?
    var createdAt: Date
    var expiresAt: Date

    /// Whether the session's scopes grant `scope` (`tableau:content:read`), honouring
    /// `tableau:<resource>:*` wildcards. Non-JWT sessions are governed by site role only.
    func allows(_ scope: String) -> Bool {
        guard let scopes else { return true }
        let parts = scope.split(separator: ":")
        let wildcard = parts.count == 3 ? "\(parts[0]):\(parts[1]):*" : scope
        return scopes.contains(scope) || scopes.contains(wildcard)
    }
}

/// A personal access token known to the server.
struct PersonalAccessToken: Sendable {
    var name: String
    var secret: String
    /// The user name (on every site where that user exists) the token signs in as.
    var userName: String
    var expiresAt: Date?
}
