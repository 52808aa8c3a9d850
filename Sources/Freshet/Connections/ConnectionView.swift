public import Foundation

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
    /// Bullets plus the last 4 characters of the secret; empty when the secret is read from
    /// ``secretRef``.
    public var secretMasked: String
    /// Where the secret is read at sign-in (`env:`, `file:`, `exec:`), as written; never its value.
    public var secretRef: String?
    public var apiVersionPin: String?
    /// Keep-alive interval in days (absent: off).
    public var keepAliveDays: Int?
    /// Days before expiry below which the token lifetime check warns.
    public var expiryWarningDays: Int
    /// When Tableau said the credential expires, as of the last sign-in.
    public var tokenExpiresAt: Date?
    /// The last sign-in with the credential (what Tableau counts as use).
    public var lastSignInAt: Date?
    public var createdAt: Date
    public var updatedAt: Date

    init(_ connection: Connection, secret: String?, lifetime: CredentialLifetime? = nil) {
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
        secretMasked = secret.map(SecretMask.mask) ?? ""
        secretRef = connection.secretReference?.description
        apiVersionPin = connection.apiVersionPin
        keepAliveDays = connection.keepAliveDays
        expiryWarningDays = connection.effectiveWarningDays
        tokenExpiresAt = lifetime?.expiresAt
        lastSignInAt = lifetime?.lastUsedAt
        createdAt = connection.createdAt
        updatedAt = connection.updatedAt
    }
}
