import Freshet

/// The connected-app fields of a connection body.
struct ConnectedAppBody: Decodable, Sendable {
    var clientId: String?
    var secretId: String?
    var secretValue: String?
    var secretValueRef: String?
    var username: String?
    var scopes: [String]?

    static let shape = JSONShape.object([
        "clientId": .value, "secretId": .value, "secretValue": .value, "secretValueRef": .value, "username": .value, "scopes": .value,
    ])

    var draft: ConnectionDraft.ConnectedAppDraft {
        .init(clientId: clientId, secretId: secretId, secretValue: secretValue, secretValueRef: secretValueRef, username: username, scopes: scopes)
    }
}

/// `POST /api/v1/connections`: the same fields as `freshet connection add`.
struct CreateConnectionBody: JSONRequestBody {
    var name: String
    var serverUrl: String?
    var siteContentUrl: String?
    var allowInsecureHttp: Bool?
    var apiVersion: String?
    var patName: String?
    var patSecret: String?
    var patSecretRef: String?
    var connectedApp: ConnectedAppBody?
    var keepAliveDays: Int?
    var expiryWarningDays: Int?

    static let shape = JSONShape.object([
        "name": .value, "serverUrl": .value, "siteContentUrl": .value, "allowInsecureHttp": .value, "apiVersion": .value,
        "patName": .value, "patSecret": .value, "patSecretRef": .value, "connectedApp": ConnectedAppBody.shape, "keepAliveDays": .value,
        "expiryWarningDays": .value,
    ])

    var draft: ConnectionDraft {
        ConnectionDraft(
            name: name, serverURL: serverUrl, siteContentUrl: siteContentUrl ?? "", allowInsecureHTTP: allowInsecureHttp ?? false,
            apiVersionPin: apiVersion, patName: patName, patSecret: patSecret, patSecretRef: patSecretRef, connectedApp: connectedApp?.draft,
            keepAliveDays: keepAliveDays, expiryWarningDays: expiryWarningDays)
    }
}

/// `PATCH /api/v1/connections/{connection}`: `freshet connection edit`'s semantics. Absent or
/// blank `serverUrl` / `patName` keep the stored values; a secret changes only when given;
/// `siteContentUrl`, when present, is always saved ("" switches to the Default site).
struct EditConnectionBody: JSONRequestBody {
    var serverUrl: String?
    var siteContentUrl: String?
    var allowInsecureHttp: Bool?
    var apiVersion: String?
    var patName: String?
    var patSecret: String?
    var patSecretRef: String?
    var connectedApp: ConnectedAppBody?
    var keepAliveDays: Int?
    var expiryWarningDays: Int?

    static let shape = JSONShape.object([
        "serverUrl": .value, "siteContentUrl": .value, "allowInsecureHttp": .value, "apiVersion": .value,
        "patName": .value, "patSecret": .value, "patSecretRef": .value, "connectedApp": ConnectedAppBody.shape, "keepAliveDays": .value,
        "expiryWarningDays": .value,
    ])

    func draft(name: String, storedSite: String) -> ConnectionDraft {
        ConnectionDraft(
            name: name, serverURL: serverUrl, siteContentUrl: siteContentUrl ?? storedSite, allowInsecureHTTP: allowInsecureHttp ?? false,
            apiVersionPin: apiVersion, patName: patName, patSecret: patSecret, patSecretRef: patSecretRef, connectedApp: connectedApp?.draft,
            keepAliveDays: keepAliveDays, expiryWarningDays: expiryWarningDays)
    }
}

/// The request-body names of the fields a ``ValidationError`` names (`server` is `serverUrl`,
/// the connected app's fields sit under `connectedApp.`).
enum ConnectionFields {
    static func bodyName(_ field: String?) -> String? {
        switch field {
        case "server": "serverUrl"
        case "clientId", "secretId", "secretValue", "username", "scopes": "connectedApp." + (field ?? "")
        default: field
        }
    }

    /// Runs `body`, answering a ``ValidationError`` with 422 naming the body's field.
    static func validating<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as ValidationError {
            throw ProblemDocument.invalid(error.message, field: bodyName(error.field))
        }
    }
}

/// The answer of `POST /api/v1/connections/{connection}/check`.
struct CheckReport: Encodable {
    var connection: String
    var passed: Bool
    var results: [HealthCheckResult]
}

/// The answer of `GET /api/v1/connections`.
struct ConnectionList: Encodable {
    var connections: [ConnectionView]
}
