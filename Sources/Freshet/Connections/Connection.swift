package import Foundation

/// A Tableau site Freshet is connected to. Secrets are not part of this value: they are kept
/// sealed next to it and shown only masked, or live elsewhere and are named by
/// ``secretReference``.
package struct Connection: Sendable, Equatable, Codable {
    package var id: String
    /// The name people and pipelines use: `freshet refresh --connection NAME`.
    package var name: String
    package var server: ServerURL
    /// Site content URL (the part after `/site/`); empty is the Default site.
    package var siteContentUrl: String
    package var auth: Authentication
    /// A REST API version to use instead of negotiating (e.g. "3.19" for an older Server).
    package var apiVersionPin: String?
    /// Where the PAT secret or connected-app secret value is read at sign-in, when Freshet does
    /// not keep it sealed itself (`env:`, `file:`, `exec:`).
    package var secretReference: SecretReference?
    /// Sign in at least every this many days, so an idle Tableau Cloud PAT (which lapses after
    /// 15 days unused) stays alive; nil turns keep-alive off.
    package var keepAliveDays: Int?
    /// Days before the token's expiry below which the lifetime check warns (default 14).
    package var expiryWarningDays: Int?
    package var createdAt: Date
    package var updatedAt: Date

    /// How the connection signs in; the secret part lives in the sealed secret.
    package enum Authentication: Sendable, Equatable, Codable {
        case personalAccessToken(name: String)
        case connectedApp(clientId: String, secretId: String, username: String, scopes: [String])

        /// "Personal Access Token" or "connected app".
        package var kind: String {
            switch self {
            case .personalAccessToken: "Personal Access Token"
            case .connectedApp: "connected app"
            }
        }
    }

    /// The expiry warning threshold used when a connection sets none.
    package static let defaultExpiryWarningDays = 14
    /// The keep-alive interval suggested when keep-alive is turned on without a number.
    package static let defaultKeepAliveDays = 7

    /// The warning threshold in force.
    package var effectiveWarningDays: Int { expiryWarningDays ?? Self.defaultExpiryWarningDays }

    /// What lists and headings show: host and site, which follows the site content URL.
    package var displayName: String {
        "\(server.host) · " + (siteContentUrl.isEmpty ? "Default site" : "site \(siteContentUrl)")
    }

    package init(
        id: String = UUID().uuidString.lowercased(), name: String, server: ServerURL, siteContentUrl: String, auth: Authentication,
        apiVersionPin: String? = nil, secretReference: SecretReference? = nil, keepAliveDays: Int? = nil, expiryWarningDays: Int? = nil,
        createdAt: Date = Date(), updatedAt: Date = Date()
    ) {
        self.id = id
        self.name = name
        self.server = server
        self.siteContentUrl = siteContentUrl
        self.auth = auth
        self.apiVersionPin = apiVersionPin
        self.secretReference = secretReference
        self.keepAliveDays = keepAliveDays
        self.expiryWarningDays = expiryWarningDays
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// Shows a secret as bullets plus its last 4 characters (all bullets when it is that short).
package enum SecretMask {
    package static func mask(_ secret: String) -> String {
        let bullets = String(repeating: "•", count: 8)
        guard secret.count > 8 else { return bullets }
        return bullets + secret.suffix(4)
    }
}
