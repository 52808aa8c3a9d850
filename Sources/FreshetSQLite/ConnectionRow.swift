import Foundation
import Freshet
import GRDB

/// A ``Connection`` as the columns of the `connections` table (without its sealed secret).
struct ConnectionRow {
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
    var createdAt: String
    var updatedAt: String

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
            let json = (try? JSONEncoder().encode(scopes)).flatMap { String(data: $0, encoding: .utf8) }
            self.scopes = json ?? "[]"
        }
        apiVersionPin = connection.apiVersionPin
        secretRef = connection.secretReference?.description
        keepAliveDays = connection.keepAliveDays
        expiryWarningDays = connection.expiryWarningDays
        createdAt = SQLiteTimestamp.text(connection.createdAt)
        updatedAt = SQLiteTimestamp.text(connection.updatedAt)
    }

    /// The columns from `name` to `api_version_pin`, then `secret_ref`, `keep_alive_days` and `expiry_warning_days`.
    var values: [(any DatabaseValueConvertible)?] {
        [
            name, serverHost, usesHTTP, siteContentUrl, authKind, patName, clientId, secretId, username, scopes, apiVersionPin, secretRef,
            keepAliveDays, expiryWarningDays,
        ]
    }

    /// The connection and sealed secret of a `SELECT *` row.
    static func stored(_ row: Row) throws -> StoredConnection {
        let host = try SQLiteStore.text(row, "server_host")
        let usesHTTP: Bool = row["uses_http"] ?? false
        let server: ServerURL
        do {
            server = try ServerURL(parsing: (usesHTTP ? "http://" : "https://") + host, allowInsecureHTTP: true)
        } catch {
            throw StoreError(.corrupt, "The database holds an invalid server host: \(host)")
        }
        let auth: Connection.Authentication
        switch try SQLiteStore.text(row, "auth_kind") {
        case personalAccessToken:
            auth = .personalAccessToken(name: try SQLiteStore.text(row, "pat_name"))
        case connectedApp:
            let scopesText = try SQLiteStore.text(row, "scopes")
            guard let scopes = try? JSONDecoder().decode([String].self, from: Data(scopesText.utf8)) else {
                throw StoreError(.corrupt, "The database holds invalid connected-app scopes: \(scopesText)")
            }
            auth = .connectedApp(
                clientId: try SQLiteStore.text(row, "client_id"), secretId: try SQLiteStore.text(row, "secret_id"),
                username: try SQLiteStore.text(row, "username"), scopes: scopes)
        case let other:
            throw StoreError(.corrupt, "The database holds an unknown authentication kind: \(other)")
        }
        var reference: SecretReference?
        if let text: String = row["secret_ref"] {
            do { reference = try SecretReference(parsing: text) } catch { throw StoreError("The database holds an invalid secret reference: \(error.message)") }
        }
        let connection = Connection(
            id: try SQLiteStore.text(row, "id"), name: try SQLiteStore.text(row, "name"), server: server,
            siteContentUrl: try SQLiteStore.text(row, "site_content_url"), auth: auth, apiVersionPin: row["api_version_pin"],
            secretReference: reference, keepAliveDays: row["keep_alive_days"], expiryWarningDays: row["expiry_warning_days"],
            createdAt: try SQLiteStore.date(row, "created_at"), updatedAt: try SQLiteStore.date(row, "updated_at"))
        return StoredConnection(connection: connection, sealedSecret: try SQLiteStore.text(row, "sealed_secret"))
    }
}
