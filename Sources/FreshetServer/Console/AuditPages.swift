import Foundation
import Freshet
import Hummingbird

/// `/audit` and `/audit.csv`: the audit log (`audit:read`) filtered by actor, action, target and
/// outcome, paged, and exported as CSV, through the API's query parsing and authorizer.
struct AuditPages {
    static let pageSize = 100
    static let csvLimit = 10_000
    let console: Console
    var api: FreshetAPI { console.api }

    struct AuditModel {
        struct Row {
            var time: String
            var actor: String
            var action: String
            var target: String
            var outcome: String
            var details: String
        }

        var events: [Row]
        var actor: String
        var action: String
        var target: String
        var outcomeAny: Bool
        var outcomeSuccess: Bool
        var outcomeFailure: Bool
        var next: String?
        var csv: String
    }

    func register(on router: RouterGroup<FreshetRequestContext>) {
        router.get("audit") { request, context in
            try await api.authorize(.readAudit, request, context)
            var query = try AuditRoutes.query(Self.filters(request.uri.queryParameters))
            query.limit = Self.pageSize + 1
            let events = try await api.audit.events(query)
            let shown = Array(events.prefix(Self.pageSize))
            let parameters = Self.filterPairs(request.uri.queryParameters)
            let next = events.count > Self.pageSize ? shown.last?.sequence.map { AuditRoutes.cursor(before: $0) } : nil
            let outcome = query.outcome
            let model = AuditModel(
                events: shown.map(Self.row), actor: query.actor ?? "", action: query.action ?? "", target: query.target ?? "",
                outcomeAny: outcome == nil, outcomeSuccess: outcome == "success", outcomeFailure: outcome == "failure",
                next: next.map { Self.link("/audit", parameters + [("cursor", $0)]) }, csv: Self.link("/audit.csv", parameters))
            return console.page("audit", title: "Audit log", model: model, request: request, context: context, current: "/audit")
        }
        router.get("audit.csv") { request, context in
            try await api.authorize(.readAudit, request, context)
            var query = try AuditRoutes.query(Self.filters(request.uri.queryParameters))
            query.limit = Self.csvLimit
            var csv = "time,actor,action,target,outcome,details\r\n"
            for event in try await api.audit.events(query) {
                let row = Self.row(event)
                csv += [event.time.ISO8601Format(), row.actor, row.action, row.target, row.outcome, row.details].map(Self.csvField).joined(separator: ",") + "\r\n"
            }
            return Response(
                status: .ok,
                headers: [
                    .contentType: "text/csv; charset=utf-8", .contentDisposition: "attachment; filename=\"freshet-audit.csv\"", .cacheControl: "no-store",
                ],
                body: .init(byteBuffer: ByteBuffer(string: csv)))
        }
    }

    static let filterNames = ["actor", "action", "target", "outcome", "cursor"]

    /// The audit filters of `parameters` (blank ones left out), as the API's query reads them.
    static func filters(_ parameters: Parameters) -> Parameters {
        Parameters(parameters.filter { filterNames.contains(String($0.key)) && !$0.value.trimmingCharacters(in: .whitespaces).isEmpty })
    }

    static func filterPairs(_ parameters: Parameters) -> [(String, String)] {
        parameters.filter { filterNames.contains(String($0.key)) && $0.key != "cursor" && !$0.value.trimmingCharacters(in: .whitespaces).isEmpty }
            .map { (String($0.key), String($0.value)) }
    }

    static func link(_ path: String, _ pairs: [(String, String)]) -> String {
        pairs.isEmpty ? path : path + "?" + pairs.map { $0.0 + "=" + FormData.encode($0.1) }.joined(separator: "&")
    }

    static func row(_ event: AuditEvent) -> AuditModel.Row {
        AuditModel.Row(
            time: RunRowModel.timestamp(event.time), actor: event.actor, action: event.action, target: event.target, outcome: event.outcome,
            details: event.details.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "; "))
    }

    /// A CSV field (RFC 4180), with a leading quote on text a spreadsheet would run as a formula.
    static func csvField(_ text: String) -> String {
        var text = text
        if let first = text.first, "=+-@".contains(first) { text = "'" + text }
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
