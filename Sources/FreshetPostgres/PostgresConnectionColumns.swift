import Foundation
import Freshet
import PostgresNIO

/// A ``Connection`` as the columns of the `connections` table (without its sealed secret).
struct PostgresConnectionColumns {
    var id: String
    var name: String
    var serverHost: String
    var usesHTTP: Bool
    var siteContentUrl: String
    var authKind: String
    var patName: String?
    var clientId: String?
    var secretId: String?
    var username: String?
    /// JSON array text.
    var scopes: String?
    var apiVersionPin: String?
    var secretRef: String?
    var keepAliveDays: Int?
    var expiryWarningDays: Int?
    var createdAt: Date
    var updatedAt: Date

    static let personalAccessToken = "personal_access_token"
    static let connectedApp = "connected_app"

    init(_ connection: Connection) {
        id = connection.id
        name = connection.name
        serverHost = connection.server.host
        usesHTTP = connection.server.usesHTTP
        siteContentUrl = connection.siteContentUrl
        switch connection.auth {
        case .personalAccessToken(let name):
            authKind = Self.personalAccessToken
            patName = name
        case .connectedApp(let clientId, let secretId, let username, let scopes):
            authKind = Self.connectedApp
            self.clientId = clientId
            self.secretId = secretId
            self.username = username
            self.scopes = (try? JSONEncoder().encode(scopes)).map { String(decoding: $0, as: UTF8.self) } ?? "[]"
        }
        apiVersionPin = connection.apiVersionPin
        secretRef = connection.secretReference?.description
        keepAliveDays = connection.keepAliveDays
        expiryWarningDays = connection.expiryWarningDays
        createdAt = connection.createdAt
        updatedAt = connection.updatedAt
    }

    /// The connection and sealed secret of a `SELECT *` row.
    static func stored(_ row: PostgresRandomAccessRow) throws -> StoredConnection {
        let host = try row.text("server_host")
        let usesHTTP = try row.bool("uses_http")
        let server: ServerURL
        do {
            server = try ServerURL(parsing: (usesHTTP ? "http://" : "https://") + host, allowInsecureHTTP: true)
        } catch {
            throw StoreError(.corrupt, "The database holds an invalid server host: \(host)")
        }
        let auth: Connection.Authentication
        switch try row.text("auth_kind") {
        case personalAccessToken:
            auth = .personalAccessToken(name: try row.text("pat_name"))
        case connectedApp:
            let scopesText = try row.text("scopes")
            guard let scopes = try? JSONDecoder().decode([String].self, from: Data(scopesText.utf8)) else {
                throw StoreError(.corrupt, "The database holds invalid connected-app scopes: \(scopesText)")
            }
            auth = .connectedApp(
                clientId: try row.text("client_id"), secretId: try row.text("secret_id"), username: try row.text("username"), scopes: scopes)
        case let other:
            throw StoreError(.corrupt, "The database holds an unknown authentication kind: \(other)")
        }
        var reference: SecretReference?
        if let text = try row.optionalText("secret_ref") {
            do { reference = try SecretReference(parsing: text) } catch { throw StoreError("The database holds an invalid secret reference: \(error.message)") }
        }
        let connection = Connection(
            id: try row.text("id"), name: try row.text("name"), server: server, siteContentUrl: try row.text("site_content_url"),
            auth: auth, apiVersionPin: try row.optionalText("api_version_pin"), secretReference: reference,
            keepAliveDays: try row.value("keep_alive_days", as: Int?.self), expiryWarningDays: try row.value("expiry_warning_days", as: Int?.self),
            createdAt: try row.date("created_at"), updatedAt: try row.date("updated_at"))
        return StoredConnection(connection: connection, sealedSecret: try row.text("sealed_secret"))
    }
}
