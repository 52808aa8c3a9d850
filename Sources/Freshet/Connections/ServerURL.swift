/// A connection's server URL as stored: host (and port) without scheme or trailing slash, plus
/// whether plain http is used. Pasting `https://host/` works; https is assumed; http is kept
/// only for loopback hosts or when insecure http is explicitly allowed (DESIGN.md, Connections).
public struct ServerURL: Sendable, Hashable, Codable, CustomStringConvertible {
    /// `host` or `host:port`, lower-cased.
    public let host: String
    /// Whether the server is reached over plain http.
    public let usesHTTP: Bool

    /// Normalises what a person typed or pasted.
    /// - Throws: ``ValidationError`` "Server URL is required" for blank input, or why the URL is unusable.
    public init(parsing text: String, allowInsecureHTTP: Bool = false) throws(ValidationError) {
        var rest = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !rest.isEmpty else { throw ValidationError("Server URL is required", field: "server") }
        var scheme = "https"
        if let range = rest.range(of: "://") {
            scheme = rest[..<range.lowerBound].lowercased()
            rest = String(rest[range.upperBound...])
        }
        guard scheme == "https" || scheme == "http" else {
            throw ValidationError("Server URL must start with https:// (or be a bare host name)", field: "server")
        }
        if let cut = rest.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) { rest = String(rest[..<cut]) }
        guard !rest.isEmpty, !rest.contains("@"), !rest.contains(where: \.isWhitespace) else {
            throw ValidationError("Server URL is not a valid host name", field: "server")
        }
        if let colon = rest.lastIndex(of: ":"), !rest.hasSuffix("]") {
            guard let port = Int(rest[rest.index(after: colon)...]), (1...65535).contains(port) else {
                throw ValidationError("Server URL has an invalid port", field: "server")
            }
        }
        let host = rest.lowercased()
        if scheme == "http" && !allowInsecureHTTP && !Self.isLoopback(host) {
            throw ValidationError(
                "Server URL uses http, which is allowed only for loopback hosts; use https or pass the insecure-http option",
                field: "server"
            )
        }
        self.host = host
        self.usesHTTP = scheme == "http"
    }

    /// Whether `host` (possibly with a port) is this machine.
    public static func isLoopback(_ host: String) -> Bool {
        var bare = host
        if bare.hasPrefix("["), let close = bare.firstIndex(of: "]") {
            bare = String(bare[bare.index(after: bare.startIndex)..<close])
        } else if let colon = bare.lastIndex(of: ":"), bare.filter({ $0 == ":" }).count == 1 {
            bare = String(bare[..<colon])
        }
        return bare == "localhost" || bare.hasPrefix("127.") || bare == "::1"
    }

    /// `https://host[:port]` (or `http://…`).
    public var baseURL: String { (usesHTTP ? "http://" : "https://") + host }

    public var description: String { baseURL }
}

import Foundation
