import Foundation

/// A connection as people and APIs see it: secrets only masked, the PAT name in full.
public struct ConnectionView: Sendable, Equatable, Codable {
    public var id: String
    public var name: String
    public var displayName: String
    /// `https://host[:port]`.
    public var serverURL: String
    public var siteContentUrl: String
    /// "Personal Access Token" or "connected app".
    public var authKind: String
    public var patName: String?
    public var clientId: String?
    public var secretId: String?
    public var username: String?
    public var scopes: [String]?
    /// Bullets plus the last 4 characters of the secret.
    public var secretMasked: String
    public var apiVersionPin: String?
    public var createdAt: Date
    public var updatedAt: Date

    init(_ connection: Connection, secret: String) {
        id = connection.id
        name = connection.name
        displayName = connection.displayName
        serverURL = connection.server.baseURL
        siteContentUrl = connection.siteContentUrl
        authKind = connection.auth.kind
        switch connection.auth {
        case .personalAccessToken(let name):
            patName = name
        case .connectedApp(let clientId, let secretId, let username, let scopes):
            self.clientId = clientId
            self.secretId = secretId
            self.username = username
            self.scopes = scopes
        }
        secretMasked = SecretMask.mask(secret)
        apiVersionPin = connection.apiVersionPin
        createdAt = connection.createdAt
        updatedAt = connection.updatedAt
    }
}
