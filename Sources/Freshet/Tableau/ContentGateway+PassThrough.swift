import Foundation

/// One query parameter of a pass-through call.
package struct QueryItem: Sendable, Equatable, Codable {
    package var name: String
    package var value: String

    package init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}

/// Which REST family a pass-through path belongs to.
package enum PassThroughFamily: String, Sendable, Codable {
    /// `/api/{v}/…` or a relative `sites/…`, `serverinfo`, `sessions/current`.
    case versioned
    /// `/api/-/…`
    case versionless
    /// `/api/metadata/graphql`
    case metadata
}

/// A REST call sent through a connection's session, validated: a method Tableau uses, a path
/// on the connection's own server (no host, no `..`), never sign-in, sign-out or site switching
/// (the session is shared, so those belong to Freshet).
package struct PassThroughRequest: Sendable, Equatable {
    package static let methods: Set<String> = ["GET", "POST", "PUT", "PATCH", "DELETE"]

    package let method: String
    /// `/api/3.24/sites/{site}/users`, `sites/{site}/users`, `/api/-/search`…; `{site}` stands
    /// for the session's site id.
    package let path: String
    package let family: PassThroughFamily
    package let query: [QueryItem]
    package let body: [UInt8]?
    package let contentType: String

    /// Validates and normalises a call; a `?query` in `path` joins `query`.
    package init(
        method: String, path: String, query: [QueryItem] = [], body: [UInt8]? = nil, contentType: String = "application/json"
    ) throws(AccessError) {
        let method = method.trimmingCharacters(in: .whitespaces).uppercased()
        guard Self.methods.contains(method) else {
            throw .invalidRequest("Method \(method) is not allowed; use one of GET, POST, PUT, PATCH, DELETE", field: "method")
        }
        var path = path.trimmingCharacters(in: .whitespaces)
        var query = query
        if let mark = path.firstIndex(of: "?") {
            let text = path[path.index(after: mark)...]
            path = String(path[..<mark])
            for pair in text.split(separator: "&") where !pair.isEmpty {
                let parts = pair.split(separator: "=", maxSplits: 1).map { String($0).replacingOccurrences(of: "+", with: " ") }
                query.append(QueryItem(name: parts[0].removingPercentEncoding ?? parts[0], value: parts.count > 1 ? parts[1].removingPercentEncoding ?? parts[1] : ""))
            }
        }
        guard !path.isEmpty, path != "/" else {
            throw .invalidRequest("The pass-through needs a path, e.g. /api/-/search or sites/{site}/users", field: "path")
        }
        guard !path.contains("://"), !path.hasPrefix("//"), !path.contains("\\"), !path.contains(where: Self.isForbiddenCharacter) else {
            throw .invalidRequest("The pass-through path must be a path on the connection's Tableau server, not a URL: \(path)", field: "path")
        }
        // The checks below see the path as Tableau would: each segment percent-decoded, without
        // `;` parameters, compared without case; the path sent is rebuilt from those segments.
        let segments = try Self.canonicalSegments(path)
        let family: PassThroughFamily
        let rest: ArraySlice<String>
        if path.hasPrefix("/"), segments.first?.lowercased() == "api" {
            guard segments.count >= 3 else { throw .invalidRequest("The path \(path) names no resource", field: "path") }
            let version = segments[1].lowercased()
            if version == "-" {
                family = .versionless
            } else if version == "metadata" {
                family = .metadata
            } else if version == "{v}" || Self.isVersion(Substring(version)) {
                family = .versioned
            } else {
                throw .invalidRequest(
                    "The path \(path) must start /api/<version>/ (e.g. /api/3.24/), /api/-/ or /api/metadata/", field: "path")
            }
            rest = segments.dropFirst(2)
            path = "/" + (["api", version] + rest.map(Self.encodeSegment)).joined(separator: "/")
        } else {
            // Relative to the versioned API of the session: sites/{site}/…, serverinfo, sessions/current.
            family = .versioned
            rest = segments[...]
            path = segments.map(Self.encodeSegment).joined(separator: "/")
        }
        if rest.first?.lowercased() == "auth" {
            throw .invalidRequest(
                "Sign-in, sign-out and site switching cannot go through the pass-through: Freshet manages the connection's shared session",
                field: "path")
        }
        self.method = method
        self.path = path
        self.family = family
        self.query = query
        self.body = body
        self.contentType = contentType
    }

    /// The path's segments as Tableau reads them: empty segments dropped, `;` parameters cut,
    /// percent-decoded. Refuses `.` and `..`, and segments that decode to a `/`, `\\`, `?`, `#`,
    /// `;` or a control character (a second reading could differ from the first).
    static func canonicalSegments(_ path: String) throws(AccessError) -> [String] {
        var segments: [String] = []
        for raw in path.split(separator: "/", omittingEmptySubsequences: true) {
            let withoutParameters = raw.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            guard let decoded = String(withoutParameters).removingPercentEncoding else {
                throw .invalidRequest("The pass-through path has an invalid percent-encoding: \(path)", field: "path")
            }
            guard !decoded.contains(where: { "/\\?#;%".contains($0) || $0.asciiValue.map { $0 < 0x20 || $0 == 0x7F } == true }) else {
                throw .invalidRequest("The pass-through path may not encode /, \\, ?, #, ; or % inside a segment: \(path)", field: "path")
            }
            guard decoded != ".", decoded != ".." else {
                throw .invalidRequest("The pass-through path may not contain . or .. segments", field: "path")
            }
            if !decoded.isEmpty { segments.append(decoded) }
        }
        return segments
    }

    /// Whitespace and control characters, never part of a path.
    static func isForbiddenCharacter(_ character: Character) -> Bool {
        character.isWhitespace || character.asciiValue.map { $0 < 0x20 || $0 == 0x7F } == true
    }

    /// A decoded segment encoded for the URL (`{site}` placeholders kept).
    static func encodeSegment(_ segment: String) -> String {
        segment.addingPercentEncoding(withAllowedCharacters: segmentCharacters) ?? segment
    }

    private static let segmentCharacters = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~!$&'()*+,=:@{}")

    static func isVersion(_ text: Substring) -> Bool {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 2 && parts.allSatisfy { !$0.isEmpty && $0.allSatisfy(\.isNumber) }
    }
}

/// Tableau's answer to a pass-through call, as it came.
package struct PassThroughResponse: Sendable, Equatable {
    package var status: Int
    package var contentType: String?
    package var body: [UInt8]

    package init(status: Int, contentType: String?, body: [UInt8]) {
        self.status = status
        self.contentType = contentType
        self.body = body
    }

    /// The body as text.
    package var text: String { String(decoding: body, as: UTF8.self) }
}
