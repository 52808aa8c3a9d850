package import Foundation

/// A connection as people and APIs see it: secrets only masked, the PAT name in full.
package struct ConnectionView: Sendable, Equatable, Codable {
    package var id: String
    package var name: String
    package var displayName: String
    /// `https://host[:port]`.
    package var serverURL: String
    package var siteContentUrl: String
    /// "Personal Access Token" or "connected app".
    package var authKind: String
    package var patName: String?
    package var clientId: String?
    package var secretId: String?
    package var username: String?
    package var scopes: [String]?
    /// Bullets plus the last 4 characters of the secret; empty when the secret is read from
    /// ``secretRef``.
    package var secretMasked: String
    /// Where the secret is read at sign-in (`env:`, `file:`, `exec:`), as written; never its value.
    package var secretRef: String?
    package var apiVersionPin: String?
    /// Keep-alive interval in days (absent: off).
    package var keepAliveDays: Int?
    /// Days before expiry below which the token lifetime check warns.
    package var expiryWarningDays: Int
    /// When Tableau said the credential expires, as of the last sign-in.
    package var tokenExpiresAt: Date?
    /// The last sign-in with the credential (what Tableau counts as use).
    package var lastSignInAt: Date?
    package var createdAt: Date
    package var updatedAt: Date

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
