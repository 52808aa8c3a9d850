package import Foundation

/// What a person submits to add or edit a connection (CLI flags, an API body).
///
/// Add: every required field must be present. Edit: a blank server URL or PAT name keeps the
/// stored value, a secret is replaced only when a new one is given, and the site content URL is
/// always saved (empty switches the connection to the Default site).
package struct ConnectionDraft: Sendable, Equatable {
    package var name: String
    package var serverURL: String?
    package var siteContentUrl: String
    package var allowInsecureHTTP: Bool
    package var apiVersionPin: String?
    package var patName: String?
    package var patSecret: String?
    /// A reference (`env:`, `file:`, `exec:`) to the PAT secret instead of the secret itself.
    package var patSecretRef: String?
    package var connectedApp: ConnectedAppDraft?
    /// Keep-alive interval in days; on edit nil keeps the stored setting and 0 turns it off.
    package var keepAliveDays: Int?
    /// Expiry warning threshold in days; on edit nil keeps the stored setting and 0 restores the default.
    package var expiryWarningDays: Int?

    package struct ConnectedAppDraft: Sendable, Equatable {
        package var clientId: String?
        package var secretId: String?
        package var secretValue: String?
        /// A reference to the secret value instead of the value itself.
        package var secretValueRef: String?
        package var username: String?
        package var scopes: [String]?

        package init(
            clientId: String? = nil, secretId: String? = nil, secretValue: String? = nil, secretValueRef: String? = nil, username: String? = nil,
            scopes: [String]? = nil
        ) {
            self.clientId = clientId
            self.secretId = secretId
            self.secretValue = secretValue
            self.secretValueRef = secretValueRef
            self.username = username
            self.scopes = scopes
        }
    }

    package init(
        name: String, serverURL: String? = nil, siteContentUrl: String = "", allowInsecureHTTP: Bool = false, apiVersionPin: String? = nil,
        patName: String? = nil, patSecret: String? = nil, patSecretRef: String? = nil, connectedApp: ConnectedAppDraft? = nil,
        keepAliveDays: Int? = nil, expiryWarningDays: Int? = nil
    ) {
        self.name = name
        self.serverURL = serverURL
        self.siteContentUrl = siteContentUrl
        self.allowInsecureHTTP = allowInsecureHTTP
        self.apiVersionPin = apiVersionPin
        self.patName = patName
        self.patSecret = patSecret
        self.patSecretRef = patSecretRef
        self.connectedApp = connectedApp
        self.keepAliveDays = keepAliveDays
        self.expiryWarningDays = expiryWarningDays
    }

    /// Scopes asked for when a connected app gives none: everything Freshet does.
    package static let defaultScopes = [
        "tableau:content:read", "tableau:tasks:run", "tableau:tasks:read", "tableau:jobs:read", "tableau:jobs:update",
        "tableau:users:read", "tableau:users:update", "tableau:projects:read", "tableau:workbooks:read", "tableau:datasources:read",
    ]

    /// A new connection and its secret (nil when the connection names a ``SecretReference``
    /// instead), or the first problem in DESIGN.md's words.
    package func validatedForAdd(now: Date = Date()) throws(ValidationError) -> (Connection, secret: String?) {
        let name = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty else { throw ValidationError("Connection name is required", field: "name") }
        guard name.unicodeScalars.count <= 100, !name.contains(where: { $0.isNewline }) else {
            throw ValidationError("Connection name must be one line of at most 100 characters", field: "name")
        }
        let server = try ServerURL(parsing: serverURL ?? "", allowInsecureHTTP: allowInsecureHTTP)
        let pin = try Self.validatedPin(apiVersionPin)
        let site = try Self.validatedSite(siteContentUrl)
        let keepAlive = try Self.validatedDays(keepAliveDays, field: "keepAliveDays").flatMap { $0 == 0 ? nil : $0 }
        let warning = try Self.validatedDays(expiryWarningDays, field: "expiryWarningDays").flatMap { $0 == 0 ? nil : $0 }
        if let app = connectedApp {
            guard patName == nil, patSecret == nil else {
                throw ValidationError("Give a Personal Access Token or a connected app, not both", field: "connectedApp")
            }
            let clientId = try Self.required(app.clientId, "Connected app client ID is required", field: "clientId")
            let secretId = try Self.required(app.secretId, "Connected app secret ID is required", field: "secretId")
            let (secretValue, reference) = try Self.secretSource(
                app.secretValue, app.secretValueRef, required: "Connected app secret value is required", field: "secretValue")
            let username = try Self.required(app.username, "Connected app username is required", field: "username")
            if let secretValue { _ = try Self.validatedAppSecret(secretValue) }
            let connection = Connection(
                name: name, server: server, siteContentUrl: site,
                auth: .connectedApp(clientId: clientId, secretId: secretId, username: username, scopes: app.scopes ?? Self.defaultScopes),
                apiVersionPin: pin, secretReference: reference, keepAliveDays: keepAlive, expiryWarningDays: warning, createdAt: now, updatedAt: now
            )
            return (connection, secretValue)
        }
        let patName = try Self.required(patName, "Personal Access Token name is required", field: "patName")
        let (secret, reference) = try Self.secretSource(
            patSecret, patSecretRef, required: "Personal Access Token secret is required", field: "patSecret")
        let connection = Connection(
            name: name, server: server, siteContentUrl: site, auth: .personalAccessToken(name: patName), apiVersionPin: pin,
            secretReference: reference, keepAliveDays: keepAlive, expiryWarningDays: warning, createdAt: now, updatedAt: now
        )
        return (connection, secret)
    }

    /// An edit applied to `stored`: the edited connection, the new secret if one was given, and
    /// the names of the fields that changed (for the audit log; never values of secrets). A new
    /// secret clears the stored reference; a new reference replaces the stored secret.
    package func applied(to stored: Connection, now: Date = Date()) throws(ValidationError) -> (Connection, newSecret: String?, changed: [String]) {
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
            let (secret, reference) = try Self.secretSource(patSecret, patSecretRef, required: nil, field: "patSecret")
            if let secret {
                newSecret = secret
                edited.secretReference = nil
                changed.append("patSecret")
            } else if let reference, reference != stored.secretReference {
                edited.secretReference = reference
                changed.append("patSecretRef")
            }
        case .connectedApp(let clientId, let secretId, let username, let scopes):
            guard patName == nil && patSecret == nil && patSecretRef == nil else {
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
            let (secret, reference) = try Self.secretSource(app.secretValue, app.secretValueRef, required: nil, field: "secretValue")
            if let secret {
                newSecret = try Self.validatedAppSecret(secret)
                edited.secretReference = nil
                changed.append("secretValue")
            } else if let reference, reference != stored.secretReference {
                edited.secretReference = reference
                changed.append("secretValueRef")
            }
        }
        if let days = try Self.validatedDays(keepAliveDays, field: "keepAliveDays") {
            let value = days == 0 ? nil : days
            if value != stored.keepAliveDays { edited.keepAliveDays = value; changed.append("keepAliveDays") }
        }
        if let days = try Self.validatedDays(expiryWarningDays, field: "expiryWarningDays") {
            let value = days == 0 ? nil : days
            if value != stored.expiryWarningDays { edited.expiryWarningDays = value; changed.append("expiryWarningDays") }
        }
        if !changed.isEmpty { edited.updatedAt = now }
        return (edited, newSecret, changed)
    }

    /// The secret or the parsed reference (exactly one of them), or nil for both when neither
    /// is given and `required` is nil.
    static func secretSource(
        _ value: String?, _ reference: String?, required: String?, field: String
    ) throws(ValidationError) -> (String?, SecretReference?) {
        let value = nonBlank(value)
        let referenceText = nonBlank(reference)
        if value != nil && referenceText != nil {
            throw ValidationError("Give the secret or a reference to it, not both", field: field)
        }
        if let referenceText {
            do {
                return (nil, try SecretReference(parsing: referenceText))
            } catch {
                throw ValidationError(error.message, field: field + "Ref")
            }
        }
        if value == nil, let required { throw ValidationError(required, field: field) }
        return (value, nil)
    }

    /// A day count of 0…3650 (0 meaning off or default), or nil.
    static func validatedDays(_ days: Int?, field: String) throws(ValidationError) -> Int? {
        guard let days else { return nil }
        guard (0...3650).contains(days) else { throw ValidationError("\(field) must be a number of days from 0 to 3650", field: field) }
        return days
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
    package static let minimumConnectedAppSecretLength = 32

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
