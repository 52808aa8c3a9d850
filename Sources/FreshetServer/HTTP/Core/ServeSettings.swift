import Configuration
import Foundation
import Freshet
package import Logging

/// How `freshet serve` runs: resolved from flags, then `FRESHET_…` environment variables,
/// then an optional JSON config file, then defaults (swift-configuration's provider order).
///
/// | setting | flag | environment | config file key | default |
/// | --- | --- | --- | --- | --- |
/// | host | `--host` | `FRESHET_HOST` | `host` | 127.0.0.1 |
/// | port | `--port` | `FRESHET_PORT` | `port` | 8080 |
/// | data directory | `--data-dir` | `FRESHET_DATA_DIR` | `dataDir` | ~/.freshet |
/// | PostgreSQL database | `--database` | `FRESHET_DATABASE_URL` | `databaseUrl` | none (SQLite) |
/// | log format | `--log-format` | `FRESHET_LOG_FORMAT` | `logFormat` | text |
/// | log level | — | `FRESHET_LOG_LEVEL` | `logLevel` | info |
/// | public URL (Tableau webhooks) | `--public-url` | `FRESHET_PUBLIC_URL` | `publicUrl` | none |
package struct ServeSettings: Sendable, Equatable {
    package enum LogFormat: String, Sendable, CaseIterable { case text, json }

    package var host: String
    package var port: Int
    /// nil: `~/.freshet`.
    package var dataDirectory: String?
    /// A `postgres://` URL; nil: SQLite in the data directory.
    package var databaseURL: String?
    package var logFormat: LogFormat
    package var logLevel: String
    /// The http(s) address Tableau reaches this server at, without a trailing slash; when set,
    /// serve registers Tableau webhooks so that job ends wake runs at once.
    package var publicURL: String?

    package init(
        host: String, port: Int, dataDirectory: String?, databaseURL: String? = nil, logFormat: LogFormat, logLevel: String,
        publicURL: String? = nil
    ) {
        self.publicURL = publicURL
        self.host = host
        self.port = port
        self.dataDirectory = dataDirectory
        self.databaseURL = databaseURL
        self.logFormat = logFormat
        self.logLevel = logLevel
    }

    /// What the command line gave (nil: not given).
    package struct Flags: Sendable {
        package var host: String?
        package var port: Int?
        package var dataDirectory: String?
        package var databaseURL: String?
        package var logFormat: String?
        package var publicURL: String?

        package init(
            host: String? = nil, port: Int? = nil, dataDirectory: String? = nil, databaseURL: String? = nil, logFormat: String? = nil,
            publicURL: String? = nil
        ) {
            self.publicURL = publicURL
            self.host = host
            self.port = port
            self.dataDirectory = dataDirectory
            self.databaseURL = databaseURL
            self.logFormat = logFormat
        }
    }

    /// Why the settings cannot be used; the message names the setting and where it came from.
    package struct Invalid: Error, Sendable, CustomStringConvertible {
        package let description: String

        package init(description: String) {
            self.description = description
        }
    }

    /// The keys a config file may hold; any other key is refused (a typo would otherwise be
    /// ignored without a word). Settings added elsewhere add their key here.
    package static let configFileKeys: Set<String> = ["host", "port", "dataDir", "databaseUrl", "logFormat", "logLevel", "publicUrl"]

    /// The log levels `FRESHET_LOG_LEVEL` / `logLevel` accept.
    package static let logLevels = Logger.Level.allCases.map(\.rawValue)

    /// Resolves the settings: flags, then `environment`, then the JSON file at `configFile`.
    package static func resolve(flags: Flags, environment: [String: String], configFile: String?) async throws -> ServeSettings {
        var values: [AbsoluteConfigKey: ConfigValue] = [:]
        if let host = flags.host { values["host"] = ConfigValue(.string(host), isSecret: false) }
        if let port = flags.port { values["port"] = ConfigValue(.string(String(port)), isSecret: false) }
        if let dataDirectory = flags.dataDirectory { values["dataDir"] = ConfigValue(.string(dataDirectory), isSecret: false) }
        if let databaseURL = flags.databaseURL { values["databaseUrl"] = ConfigValue(.string(databaseURL), isSecret: true) }
        if let logFormat = flags.logFormat { values["logFormat"] = ConfigValue(.string(logFormat), isSecret: false) }
        if let publicURL = flags.publicURL { values["publicUrl"] = ConfigValue(.string(publicURL), isSecret: false) }
        var providers: [any ConfigProvider] = [
            InMemoryProvider(name: "flags", values: values),
            EnvironmentVariablesProvider(environmentVariables: environment).prefixKeys(with: "freshet"),
        ]
        if let configFile {
            guard FileManager.default.fileExists(atPath: configFile) else { throw Invalid(description: "The config file \(configFile) does not exist.") }
            let location = ConfigReader(provider: InMemoryProvider(values: ["filePath": ConfigValue(.string(configFile), isSecret: false)]))
            do {
                providers.append(try await FileProvider<JSONSnapshot>(config: location))
            } catch {
                throw Invalid(description: "The config file \(configFile) is not a valid JSON object: \(error)")
            }
            try checkKeys(ofConfigFile: configFile)
        }
        let reader = ConfigReader(providers: providers)
        let portText = reader.string(forKey: "port") ?? reader.int(forKey: "port").map(String.init) ?? "8080"
        guard let port = Int(portText), (0...65535).contains(port) else {
            throw Invalid(description: "The port (--port, FRESHET_PORT or port) must be a number from 0 to 65535 (got \"\(portText)\").")
        }
        let formatText = reader.string(forKey: "logFormat", default: "text")
        guard let format = LogFormat(rawValue: formatText) else {
            throw Invalid(description: "The log format (--log-format, FRESHET_LOG_FORMAT or logFormat) must be text or json (got \"\(formatText)\").")
        }
        let dataDirectory = reader.string(forKey: "dataDir")
        let databaseURL = reader.string(forKey: "databaseUrl", isSecret: true)
        let host = reader.string(forKey: "host", default: "127.0.0.1")
        guard ServerURL.isValidHost(host.contains(":") ? "[\(host)]" : host.lowercased()) else {
            throw Invalid(
                description: "The host (--host, FRESHET_HOST or host) must be an IPv4 address, an IPv6 address or a host name, such as 127.0.0.1 or 0.0.0.0 (got \"\(host)\").")
        }
        let level = reader.string(forKey: "logLevel", default: "info")
        guard logLevels.contains(level) else {
            throw Invalid(
                description: "The log level (FRESHET_LOG_LEVEL or logLevel) must be one of \(logLevels.joined(separator: ", ")) (got \"\(level)\").")
        }
        return ServeSettings(
            host: host, port: port, dataDirectory: dataDirectory?.isEmpty == true ? nil : dataDirectory,
            databaseURL: databaseURL?.isEmpty == true ? nil : databaseURL, logFormat: format, logLevel: level,
            publicURL: try publicURL(reader.string(forKey: "publicUrl")))
    }

    /// `text` as a public base URL (http or https, a host, no query), without its trailing slash.
    static func publicURL(_ text: String?) throws(Invalid) -> String? {
        guard let text, !text.isEmpty else { return nil }
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
            url.host?.isEmpty == false, url.query == nil, url.fragment == nil
        else {
            throw Invalid(
                description: "The public URL (--public-url, FRESHET_PUBLIC_URL or publicUrl) must be an http or https address such as https://freshet.example.com (got \"\(text)\").")
        }
        return text.hasSuffix("/") ? String(text.dropLast()) : text
    }

    /// The log level `text` names (`FRESHET_LOG_LEVEL`), or `fallback` when it is absent.
    package static func logLevel(_ text: String?, default fallback: Logger.Level) throws(Invalid) -> Logger.Level {
        guard let text else { return fallback }
        guard let level = Logger.Level(rawValue: text) else {
            throw Invalid(description: "FRESHET_LOG_LEVEL must be one of \(logLevels.joined(separator: ", ")) (got \"\(text)\").")
        }
        return level
    }

    /// Refuses a config file key that is not in ``configFileKeys``.
    static func checkKeys(ofConfigFile path: String) throws(Invalid) {
        guard let data = FileManager.default.contents(atPath: path),
            let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
        else { throw Invalid(description: "The config file \(path) is not a JSON object.") }
        if let unknown = object.keys.sorted().first(where: { !configFileKeys.contains($0) }) {
            throw Invalid(
                description: "The config file \(path) has an unknown key \"\(unknown)\"; known keys: \(configFileKeys.sorted().joined(separator: ", ")).")
        }
    }
}
