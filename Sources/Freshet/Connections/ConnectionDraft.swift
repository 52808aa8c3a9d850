import Foundation

/// What a person submits to add or edit a connection (CLI flags, an API body).
///
/// Add: every required field must be present. Edit: a blank server URL or PAT name keeps the
/// stored value, a secret is replaced only when a new one is given, and the site content URL is
/// always saved (empty switches the connection to the Default site).
public struct ConnectionDraft: Sendable, Equatable {
    public var name: String
    public var serverURL: String?
    public var siteContentUrl: String
    public var allowInsecureHTTP: Bool
    public var apiVersionPin: String?
    public var patName: String?
    public var patSecret: String?
    public var connectedApp: ConnectedAppDraft?

    public struct ConnectedAppDraft: Sendable, Equatable {
        public var clientId: String?
        public var secretId: String?
        public var secretValue: String?
        public var username: String?
        public var scopes: [String]?

        public init(clientId: String? = nil, secretId: String? = nil, secretValue: String? = nil, username: String? = nil, scopes: [String]? = nil) {
            self.clientId = clientId
            self.secretId = secretId
            self.secretValue = secretValue
            self.username = username
            self.scopes = scopes
        }
    }

    public init(
        name: String, serverURL: String? = nil, siteContentUrl: String = "", allowInsecureHTTP: Bool = false, apiVersionPin: String? = nil,
        patName: String? = nil, patSecret: String? = nil, connectedApp: ConnectedAppDraft? = nil
    ) {
        self.name = name
        self.serverURL = serverURL
        self.siteContentUrl = siteContentUrl
        self.allowInsecureHTTP = allowInsecureHTTP
        self.apiVersionPin = apiVersionPin
        self.patName = patName
        self.patSecret = patSecret
        self.connectedApp = connectedApp
    }

    /// Scopes asked for when a connected app gives none: everything Freshet does.
    public static let defaultScopes = [
        "tableau:content:read", "tableau:tasks:run", "tableau:tasks:read", "tableau:jobs:read", "tableau:jobs:update",
        "tableau:users:read", "tableau:users:update", "tableau:projects:read", "tableau:workbooks:read", "tableau:datasources:read",
    ]

    /// A new connection and its secret, or the first problem in DESIGN.md's words.
    public func validatedForAdd(now: Date = Date()) throws(ValidationError) -> (Connection, secret: String) {
        let name = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty else { throw ValidationError("Connection name is required", field: "name") }
        guard name.count <= 100, !name.contains(where: { $0.isNewline }) else {
            throw ValidationError("Connection name must be one line of at most 100 characters", field: "name")
        }
        let server = try ServerURL(parsing: serverURL ?? "", allowInsecureHTTP: allowInsecureHTTP)
        let pin = try Self.validatedPin(apiVersionPin)
        let site = try Self.validatedSite(siteContentUrl)
        if let app = connectedApp {
            let clientId = try Self.required(app.clientId, "Connected app client ID is required", field: "clientId")
            let secretId = try Self.required(app.secretId, "Connected app secret ID is required", field: "secretId")
            let secretValue = try Self.required(app.secretValue, "Connected app secret value is required", field: "secretValue")
            let username = try Self.required(app.username, "Connected app username is required", field: "username")
            _ = try Self.validatedAppSecret(secretValue)
            let connection = Connection(
                name: name, server: server, siteContentUrl: site,
                auth: .connectedApp(clientId: clientId, secretId: secretId, username: username, scopes: app.scopes ?? Self.defaultScopes),
                apiVersionPin: pin, createdAt: now, updatedAt: now
            )
            return (connection, secretValue)
        }
        let patName = try Self.required(patName, "Personal Access Token name is required", field: "patName")
        let secret = try Self.required(patSecret, "Personal Access Token secret is required", field: "patSecret")
        let connection = Connection(
            name: name, server: server, siteContentUrl: site, auth: .personalAccessToken(name: patName), apiVersionPin: pin,
            createdAt: now, updatedAt: now
        )
        return (connection, secret)
    }

    /// An edit applied to `stored`: the edited connection, the new secret if one was given, and
    /// the names of the fields that changed (for the audit log; never values of secrets).
    public func applied(to stored: Connection, now: Date = Date()) throws(ValidationError) -> (Connection, newSecret: String?, changed: [String]) {
        var edited = stored
        var changed: [String] = []
        if let text = serverURL, !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            let server = try ServerURL(parsing: text, allowInsecureHTTP: allowInsecureHTTP)
            if server != stored.server { edited.server = server; changed.append("server") }
        }
        let site = try Self.validatedSite(siteContentUrl)
        if site != stored.siteContentUrl { edited.siteContentUrl = site; changed.append("siteContentUrl") }
        if let pin = apiVersionPin {
            let value = try Self.validatedPin(pin.isEmpty ? nil : pin)
            if value != stored.apiVersionPin { edited.apiVersionPin = value; changed.append("apiVersionPin") }
        }
        var newSecret: String?
        switch stored.auth {
        case .personalAccessToken(let storedName):
            guard connectedApp == nil else {
                throw ValidationError("This connection signs in with a Personal Access Token; remove it and add a new one to use a connected app", field: "auth")
            }
            if let name = Self.nonBlank(patName), name != storedName {
                edited.auth = .personalAccessToken(name: name)
                changed.append("patName")
            }
            if let secret = Self.nonBlank(patSecret) {
                newSecret = secret
                changed.append("patSecret")
            }
        case .connectedApp(let clientId, let secretId, let username, let scopes):
            guard patName == nil && patSecret == nil else {
                throw ValidationError("This connection signs in with a connected app; remove it and add a new one to use a Personal Access Token", field: "auth")
            }
            let app = connectedApp ?? ConnectedAppDraft()
            let newClient = Self.nonBlank(app.clientId) ?? clientId
            let newSecretId = Self.nonBlank(app.secretId) ?? secretId
            let newUser = Self.nonBlank(app.username) ?? username
            let newScopes = app.scopes ?? scopes
            if newClient != clientId { changed.append("clientId") }
            if newSecretId != secretId { changed.append("secretId") }
            if newUser != username { changed.append("username") }
            if newScopes != scopes { changed.append("scopes") }
            edited.auth = .connectedApp(clientId: newClient, secretId: newSecretId, username: newUser, scopes: newScopes)
            if let secret = Self.nonBlank(app.secretValue) {
                newSecret = try Self.validatedAppSecret(secret)
                changed.append("secretValue")
            }
        }
        if !changed.isEmpty { edited.updatedAt = now }
        return (edited, newSecret, changed)
    }

    static func nonBlank(_ text: String?) -> String? {
        guard let trimmed = text?.trimmingCharacters(in: .whitespacesAndNewlines), !trimmed.isEmpty else { return nil }
        return trimmed
    }

    static func required(_ text: String?, _ message: String, field: String) throws(ValidationError) -> String {
        guard let value = nonBlank(text) else { throw ValidationError(message, field: field) }
        return value
    }

    static func validatedSite(_ text: String) throws(ValidationError) -> String {
        let site = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !site.contains("/") && !site.contains(where: \.isWhitespace) else {
            throw ValidationError("Site content URL is the part after /site/ in Tableau's URLs, without slashes or spaces", field: "siteContentUrl")
        }
        return site
    }

    /// Shortest connected-app secret value Tableau issues and HS256 accepts (32 bytes).
    public static let minimumConnectedAppSecretLength = 32

    static func validatedAppSecret(_ secret: String) throws(ValidationError) -> String {
        guard secret.utf8.count >= minimumConnectedAppSecretLength else {
            throw ValidationError(
                "Connected app secret value must be at least \(minimumConnectedAppSecretLength) characters (Tableau's secret values are longer); copy the whole value from Tableau",
                field: "secretValue")
        }
        return secret
    }

    static func validatedPin(_ text: String?) throws(ValidationError) -> String? {
        guard let text = nonBlank(text) else { return nil }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ (1...3).contains($0.count) && $0.allSatisfy { $0.isASCII && $0.isNumber } }),
            let major = Int(parts[0]), (2...3).contains(major)
        else {
            throw ValidationError("REST API version must look like 3.24 (a 2.x or 3.x version of Tableau's REST API)", field: "apiVersion")
        }
        return text
    }
}
