/// A Tableau server address, normalised from what people paste: `https://host/`, `host`,
/// `host:8443`, `http://127.0.0.1:8800`. https is assumed; http is kept only for loopback hosts
/// or when insecure http is explicitly allowed.
public struct ServerAddress: Sendable, Equatable, CustomStringConvertible {
    public let scheme: String
    public let host: String
    public let port: Int?

    /// Parses and normalises `text`.
    /// - Throws: ``TableauError`` with "Server URL is required" for blank input, or why the URL is unusable.
    public init(_ text: String, allowInsecureHTTP: Bool = false) throws(TableauError) {
        var rest = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !rest.isEmpty else { throw .configuration("Server URL is required") }
        var scheme = "https"
        if let range = rest.range(of: "://") {
            scheme = rest[..<range.lowerBound].lowercased()
            rest = String(rest[range.upperBound...])
        }
        guard scheme == "https" || scheme == "http" else {
            throw .configuration("Server URL must use https (got \(scheme)://)")
        }
        // Keep only the authority: drop a path such as /#/site/x or a trailing slash.
        if let cut = rest.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) { rest = String(rest[..<cut]) }
        guard !rest.isEmpty, !rest.contains("@"), !rest.contains(" ") else {
            throw .configuration("Server URL is not a valid host name")
        }
        var host = rest
        var port: Int?
        if rest.hasPrefix("[") {
            guard let close = rest.firstIndex(of: "]") else { throw .configuration("Server URL is not a valid host name") }
            host = String(rest[...close])
            let after = rest[rest.index(after: close)...]
            if after.hasPrefix(":") {
                guard let value = Int(after.dropFirst()), (1...65535).contains(value) else { throw .configuration("Server URL has an invalid port") }
                port = value
            }
        } else if let colon = rest.lastIndex(of: ":") {
            guard let value = Int(rest[rest.index(after: colon)...]), (1...65535).contains(value) else {
                throw .configuration("Server URL has an invalid port")
            }
            host = String(rest[..<colon])
            port = value
        }
        host = host.lowercased()
        if scheme == "http" && !allowInsecureHTTP && !ServerAddress.isLoopback(host) {
            throw .configuration("Server URL uses http, which is allowed only for loopback hosts; use https or allow insecure http explicitly")
        }
        self.scheme = scheme
        self.host = host
        self.port = port
    }

    /// Whether `host` is this machine (localhost, 127.0.0.0/8, ::1).
    public static func isLoopback(_ host: String) -> Bool {
        let bare = host.trimmingCharacters(in: CharacterSet(charactersIn: "[]")).lowercased()
        return bare == "localhost" || bare.hasPrefix("127.") || bare == "::1"
    }

    /// `scheme://host[:port]`, without a trailing slash.
    public var baseURL: String {
        "\(scheme)://\(host)" + (port.map { ":\($0)" } ?? "")
    }

    /// The host (and port) as stored and shown: no scheme, no trailing slash.
    public var hostAndPort: String {
        host + (port.map { ":\($0)" } ?? "")
    }

    public var description: String { baseURL }
}

import Foundation
