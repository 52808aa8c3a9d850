/// A connection's server URL as stored: host (and port) without scheme or trailing slash, plus
/// whether plain http is used. Pasting `https://host/` works; https is assumed; http is kept
/// only for loopback hosts or when insecure http is explicitly allowed (DESIGN.md, Connections).
package struct ServerURL: Sendable, Hashable, Codable, CustomStringConvertible {
    /// `host` or `host:port`, lower-cased.
    package let host: String
    /// Whether the server is reached over plain http.
    package let usesHTTP: Bool

    /// Normalises what a person typed or pasted.
    /// - Throws: ``ValidationError`` "Server URL is required" for blank input, or why the URL is unusable.
    package init(parsing text: String, allowInsecureHTTP: Bool = false) throws(ValidationError) {
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
        var hostPart = Substring(rest)
        if let colon = rest.lastIndex(of: ":"), !rest.hasSuffix("]") {
            let digits = rest[rest.index(after: colon)...]
            guard !digits.isEmpty, digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber), let port = Int(digits), (1...65535).contains(port)
            else {
                throw ValidationError("Server URL has an invalid port (1 to 65535)", field: "server")
            }
            hostPart = rest[..<colon]
        }
        guard Self.isValidHost(hostPart.lowercased()) else {
            throw ValidationError(
                "Server URL \"\(text.trimmingCharacters(in: .whitespacesAndNewlines))\" has no valid host: use a DNS name (tableau.example.com), an IPv4 address or a bracketed IPv6 address",
                field: "server")
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

    /// Whether `host` (no port) is a DNS name (letters, digits and `-` in dot-separated labels of
    /// 1 to 63 characters, at most 253 in all), a dotted IPv4 address, or an IPv6 address in brackets.
    package static func isValidHost(_ host: String) -> Bool {
        if host.hasPrefix("[") {
            guard host.hasSuffix("]"), host.count > 2 else { return false }
            let inner = host.dropFirst().dropLast()
            return inner.contains(":") && inner.allSatisfy { $0.isHexDigit || $0 == ":" || $0 == "." }
        }
        var name = host
        if name.hasSuffix(".") { name.removeLast() }
        guard !name.isEmpty, name.utf8.count <= 253 else { return false }
        let labels = name.split(separator: ".", omittingEmptySubsequences: false)
        if labels.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isNumber) }) {
            // All digits: it must be an IPv4 address (999.1.1.1 is not).
            return labels.count == 4 && labels.allSatisfy { $0.count <= 3 && (Int($0) ?? 256) <= 255 }
        }
        return labels.allSatisfy { label in
            !label.isEmpty && label.count <= 63 && label.first != "-" && label.last != "-"
                && label.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }
        }
    }

    /// Whether `host` (possibly with a port) is this machine.
    package static func isLoopback(_ host: String) -> Bool {
        var bare = host
        if bare.hasPrefix("["), let close = bare.firstIndex(of: "]") {
            bare = String(bare[bare.index(after: bare.startIndex)..<close])
        } else if let colon = bare.lastIndex(of: ":"), bare.filter({ $0 == ":" }).count == 1 {
            bare = String(bare[..<colon])
        }
        return bare == "localhost" || bare.hasPrefix("127.") || bare == "::1"
    }

    /// `https://host[:port]` (or `http://…`).
    package var baseURL: String { (usesHTTP ? "http://" : "https://") + host }

    package var description: String { baseURL }
}

import Foundation
