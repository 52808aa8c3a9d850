import Foundation

/// Where a PostgreSQL database is and how to reach it, parsed from a
/// `postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?sslmode=…&sslrootcert=…]` URL.
///
/// The password comes from the URL, else the environment's `PGPASSWORD`, else the file named by
/// `PGPASSFILE`-style `passwordFile` (its first line). ``description`` never shows it.
package struct PostgresURL: Sendable, Equatable, CustomStringConvertible {
    /// How the connection is protected, as libpq's `sslmode` names it.
    package enum TLSMode: String, Sendable, Equatable {
        /// No TLS.
        case disable
        /// TLS when the server offers it, without checking its certificate (PostgresNIO's default).
        case prefer
        /// TLS required; the certificate is not checked.
        case require
        /// TLS required and the server's certificate checked against the CA file (`sslrootcert`)
        /// or the system's roots, name included.
        case verifyFull = "verify-full"
    }

    package var host: String
    package var port: Int
    package var username: String
    package var password: String?
    package var database: String
    package var tlsMode: TLSMode
    /// PEM file of the certificate authorities to trust (`sslrootcert`).
    package var caFile: String?

    /// Parses `text`; `environment` supplies `PGPASSWORD` and `FRESHET_DATABASE_PASSWORD_FILE`
    /// when the URL has no password.
    /// - Throws: ``PostgresURLError`` with a message that never holds the password.
    package init(parsing text: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
            scheme == "postgres" || scheme == "postgresql"
        else { throw PostgresURLError("A database URL looks like postgres://USER@HOST:PORT/DATABASE") }
        guard let host = components.host, !host.isEmpty else { throw PostgresURLError("The database URL names no host") }
        guard let user = components.user, !user.isEmpty else { throw PostgresURLError("The database URL names no user (postgres://USER@HOST/DB)") }
        let database = String(components.path.drop(while: { $0 == "/" }))
        guard !database.isEmpty else { throw PostgresURLError("The database URL names no database (postgres://USER@HOST/DB)") }
        self.host = host
        self.port = components.port ?? 5432
        self.username = user.removingPercentEncoding ?? user
        self.database = database.removingPercentEncoding ?? database
        var mode = TLSMode.prefer
        var caFile: String?
        var passwordFile = environment["FRESHET_DATABASE_PASSWORD_FILE"]
        for item in components.queryItems ?? [] {
            switch item.name {
            case "sslmode":
                guard let value = item.value, let parsed = TLSMode(rawValue: value) else {
                    throw PostgresURLError("sslmode must be disable, prefer, require or verify-full")
                }
                mode = parsed
            case "sslrootcert": caFile = item.value
            case "passfile": passwordFile = item.value
            default: throw PostgresURLError("The database URL has an unknown option \(item.name) (known: sslmode, sslrootcert, passfile)")
            }
        }
        tlsMode = mode
        self.caFile = caFile
        if let password = components.password {
            self.password = password.removingPercentEncoding ?? password
        } else if let password = environment["PGPASSWORD"], !password.isEmpty {
            self.password = password
        } else if let passwordFile, !passwordFile.isEmpty {
            guard let contents = FileManager.default.contents(atPath: passwordFile) else {
                throw PostgresURLError("Cannot read the database password file \(passwordFile)")
            }
            self.password = String(decoding: contents, as: UTF8.self).split(whereSeparator: \.isNewline).first.map(String.init)
        }
    }

    /// Whether `text` names a PostgreSQL database (rather than a SQLite data directory).
    package static func isPostgres(_ text: String) -> Bool {
        let lower = text.lowercased()
        return lower.hasPrefix("postgres://") || lower.hasPrefix("postgresql://")
    }

    /// The URL without its password: safe for logs and errors.
    package var description: String {
        var query: [String] = []
        if tlsMode != .prefer { query.append("sslmode=\(tlsMode.rawValue)") }
        if let caFile { query.append("sslrootcert=\(caFile)") }
        return "postgres://\(username)@\(host):\(port)/\(database)" + (query.isEmpty ? "" : "?" + query.joined(separator: "&"))
    }
}

/// A database URL that cannot be used; the message never holds a password.
package struct PostgresURLError: Error, Sendable, Equatable, CustomStringConvertible {
    package let description: String

    init(_ description: String) {
        self.description = description
    }
}
