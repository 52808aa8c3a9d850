package import Foundation

/// Reads one stored row's cells by column name: each SQL store's row type, for the mappings the
/// stores share (``ConnectionColumns``). A missing or unreadable non-null cell throws a
/// ``StoreError`` (`corrupt`) naming the column.
package protocol StoredRowReader {
    func text(_ column: String) throws -> String
    func optionalText(_ column: String) throws -> String?
    func bool(_ column: String) throws -> Bool
    func optionalInt(_ column: String) throws -> Int?
    func date(_ column: String) throws -> Date
}

/// A ``Connection`` as the columns of the SQL stores' `connections` table (without its sealed
/// secret), and back: one mapping for SQLite and PostgreSQL, which differ only in how a row's
/// cells are read (``StoredRowReader``) and how dates are written.
package struct ConnectionColumns: Sendable {
    package var id: String
    package var name: String
    package var serverHost: String
    package var usesHTTP: Bool
    package var siteContentUrl: String
    package var authKind: String
    package var patName: String?
    package var clientId: String?
    package var secretId: String?
    package var username: String?
    /// JSON array text.
    package var scopes: String?
    package var apiVersionPin: String?
    package var secretRef: String?
    package var keepAliveDays: Int?
    package var expiryWarningDays: Int?
    package var createdAt: Date
    package var updatedAt: Date

    static let personalAccessToken = "personal_access_token"
    static let connectedApp = "connected_app"

    /// The columns of `connection`.
    package init(_ connection: Connection) {
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

    /// The connection and sealed secret of a `SELECT *` row; a damaged row throws a
    /// ``StoreError`` (`corrupt`).
    package static func stored(_ row: some StoredRowReader) throws -> StoredConnection {
        let host = try row.text("server_host")
        let server: ServerURL
        do {
            server = try ServerURL(parsing: (try row.bool("uses_http") ? "http://" : "https://") + host, allowInsecureHTTP: true)
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
            keepAliveDays: try row.optionalInt("keep_alive_days"), expiryWarningDays: try row.optionalInt("expiry_warning_days"),
            createdAt: try row.date("created_at"), updatedAt: try row.date("updated_at"))
        return StoredConnection(connection: connection, sealedSecret: try row.text("sealed_secret"))
    }
}
