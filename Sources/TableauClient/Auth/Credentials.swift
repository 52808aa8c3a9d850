/// How the client signs in to Tableau. Secrets never appear in descriptions or logs.
public enum Credentials: Sendable, CustomStringConvertible {
    /// A Personal Access Token. Tableau allows one live session per PAT.
    case personalAccessToken(name: String, secret: String)
    /// A connected app (direct trust): a fresh HS256 JWT is minted for each sign-in.
    case connectedApp(ConnectedApp)
    /// A user name and password (not allowed on Tableau Cloud with MFA).
    case password(username: String, password: String)

    /// A connected app's identifiers and secret, plus the user to act as and the scopes to ask for.
    public struct ConnectedApp: Sendable {
        public var clientId: String
        public var secretId: String
        public var secretValue: String
        public var username: String
        public var scopes: [String]

        public init(clientId: String, secretId: String, secretValue: String, username: String, scopes: [String] = ConnectedApp.defaultScopes) {
            self.clientId = clientId
            self.secretId = secretId
            self.secretValue = secretValue
            self.username = username
            self.scopes = scopes
        }

        /// Scopes for everything Freshet does: read content, run refreshes, read and cancel jobs, manage users.
        public static let defaultScopes = [
            "tableau:content:read", "tableau:tasks:run", "tableau:tasks:read", "tableau:jobs:read", "tableau:jobs:update",
            "tableau:users:read", "tableau:users:update", "tableau:projects:read", "tableau:workbooks:read",
            "tableau:datasources:read",
        ]
    }

    /// Whether two sessions for these credentials may live at once (PATs: no).
    public var allowsParallelSessions: Bool {
        if case .personalAccessToken = self { return false }
        return true
    }

    /// A name for logs: the PAT name, the client id, or the user name — never a secret.
    public var identity: String {
        switch self {
        case .personalAccessToken(let name, _): "pat:\(name)"
        case .connectedApp(let app): "connected-app:\(app.clientId):\(app.username)"
        case .password(let username, _): "user:\(username)"
        }
    }

    public var description: String {
        switch self {
        case .personalAccessToken(let name, _): "Personal Access Token \"\(name)\""
        case .connectedApp(let app): "connected app \(app.clientId) as \(app.username)"
        case .password(let username, _): "password sign-in as \(username)"
        }
    }
}

extension Credentials: CustomDebugStringConvertible {
    /// Same as ``description``: `debugPrint` and `String(reflecting:)` never show a secret either.
    public var debugDescription: String { description }
}

extension Credentials.ConnectedApp: CustomStringConvertible, CustomDebugStringConvertible {
    public var description: String { "ConnectedApp(clientId: \(clientId), secretId: \(secretId), username: \(username), secret: •••)" }
    public var debugDescription: String { description }
}
