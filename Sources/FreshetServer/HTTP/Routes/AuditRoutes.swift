import Foundation
import Freshet
import Hummingbird

/// `GET /api/v1/audit`: the audit log, newest first, filtered by actor, action (or a prefix
/// ending in "."), target, outcome and time, paged with an opaque cursor. Needs `audit:read`.
struct AuditRoutes: APIRouteCollection {
    static let defaultLimit = 100
    static let maxLimit = 1000

    struct Page: Encodable {
        var events: [AuditEvent]
        /// Pass as `cursor` to read the next (older) page; null on the last page.
        var nextCursor: String?
    }

    func register(on api: RouterGroup<FreshetRequestContext>, _ server: FreshetAPI) {
        api.get("audit") { request, context in
            try await server.authorize(.readAudit, request, context)
            let query = try Self.query(request.uri.queryParameters)
            var events = try await server.audit.events(query)
            var next: String?
            if events.count == query.limit, let last = events.last?.sequence {
                // Peek one further event to know whether another page exists.
                var probe = query
                probe.before = last
                probe.limit = 1
                if try await !server.audit.events(probe).isEmpty { next = Self.cursor(before: last) }
            }
            events = Array(events.prefix(query.limit))
            return try server.json(Page(events: events, nextCursor: next))
        }
    }

    static func query(_ parameters: Parameters) throws -> AuditQuery {
        let known: Set<String> = ["actor", "action", "target", "outcome", "since", "until", "limit", "cursor"]
        if let unknown = parameters.map({ String($0.key) }).sorted().first(where: { !known.contains($0) }) {
            throw ProblemDocument.badRequest("Unknown query parameter \"\(unknown)\".", field: unknown)
        }
        func text(_ name: String) -> String? { parameters[name[...]].map(String.init).flatMap { $0.isEmpty ? nil : $0 } }
        // An integer or a date given empty is refused, not taken as absent.
        func given(_ name: String) -> String? { parameters[name[...]].map(String.init) }
        func date(_ name: String) throws -> Date? {
            guard let value = given(name) else { return nil }
            guard let date = RFC3339.date(value) else {
                throw ProblemDocument.badRequest("Query parameter \"\(name)\" must be an RFC 3339 date-time.", field: name)
            }
            return date
        }
        var limit = defaultLimit
        if let value = given("limit") {
            guard let number = Int(value), (1...maxLimit).contains(number) else {
                throw ProblemDocument.badRequest("Query parameter \"limit\" must be an integer from 1 to \(maxLimit).", field: "limit")
            }
            limit = number
        }
        var before: Int64?
        if let cursor = text("cursor") {
            guard let sequence = sequence(fromCursor: cursor) else {
                throw ProblemDocument.badRequest("Query parameter \"cursor\" is not a cursor this API returned.", field: "cursor")
            }
            before = sequence
        }
        if let outcome = given("outcome"), !["success", "failure"].contains(outcome) {
            throw ProblemDocument.badRequest("Query parameter \"outcome\" must be success or failure.", field: "outcome")
        }
        return AuditQuery(
            actor: text("actor"), action: text("action"), target: text("target"), outcome: text("outcome"), since: try date("since"),
            until: try date("until"), before: before, limit: limit)
    }

    static func cursor(before sequence: Int64) -> String {
        Data("before:\(sequence)".utf8).base64EncodedString().replacingOccurrences(of: "=", with: "")
    }

    static func sequence(fromCursor cursor: String) -> Int64? {
        let padded = cursor + String(repeating: "=", count: (4 - cursor.count % 4) % 4)
        guard let data = Data(base64Encoded: padded), let text = String(data: data, encoding: .utf8), text.hasPrefix("before:") else { return nil }
        return Int64(text.dropFirst("before:".count)).flatMap { $0 > 0 ? $0 : nil }
    }
}
