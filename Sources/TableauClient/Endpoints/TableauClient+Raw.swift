/// The answer to a raw call.
public struct RawResponse: Sendable {
    public var status: Int
    public var headers: [(String, String)]
    public var body: [UInt8]

    /// The body as JSON, when it is JSON.
    public var json: JSONValue? { try? JSONValue.parse(body) }
    /// The body as text.
    public var text: String { String(decoding: body, as: UTF8.self) }
}

extension TableauClient {
    /// Calls any REST path through this client's session: `sites/{site}/…` or `serverinfo` under
    /// the versioned API (`{site}` is replaced by the session's site id), `/api/-/…` versionless
    /// paths, `/api/metadata/graphql`, or any other absolute path starting with `/api/`.
    /// Retries, re-sign-in on 401 and Tableau error mapping apply as for typed calls.
    public func raw(
        method: String, path: String, query: [(String, String)] = [], body: [UInt8]? = nil, contentType: String = "application/json"
    ) async throws(TableauError) -> RawResponse {
        let session = try await broker.session()
        var cleaned = path.replacingOccurrences(of: "{site}", with: session.siteId).replacingOccurrences(of: "{site-id}", with: session.siteId)
        let target: Path
        if cleaned.hasPrefix("/api/") {
            target = .absolute(cleaned.replacingOccurrences(of: "/api/{v}/", with: "/api/\(session.apiVersion)/"))
        } else {
            while cleaned.hasPrefix("/") { cleaned.removeFirst() }
            target = .versioned(cleaned)
        }
        let response = try await send(method.uppercased(), target, query: query, rawBody: body, contentType: contentType)
        return RawResponse(status: response.status, headers: response.headers, body: response.body)
    }
}

import Foundation
