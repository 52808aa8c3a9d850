import Foundation
import Freshet
import Hummingbird

/// `/access-events`: recorded access events with their outcome and site-role change, filtered by
/// connection, user and outcome (`users:admin`, as `GET /api/v1/access-events`).
struct AccessEventPages {
    let console: Console
    var api: FreshetAPI { console.api }

    func register(on router: RouterGroup<FreshetRequestContext>) {
        router.get("access-events") { request, context in
            try await api.authorize(.manageUsers, request, context)
            let parameters = request.uri.queryParameters
            func text(_ name: String) -> String? { parameters[name[...]].map(String.init).flatMap { $0.isEmpty ? nil : $0 } }
            let status = text("status").flatMap(AccessEventStatus.init(rawValue:))
            let names = try await ConnectionNames(api)
            var query = AccessEventQuery(user: text("user"), status: status, limit: 200)
            if let connection = text("connection") { query.connectionId = names.id(of: connection) ?? "\u{0}none" }
            let records = try await api.runtime.store.accessEvents(query)
            let rows: [[String: Any]] = records.map { record in
                [
                    "received": RunRowModel.timestamp(record.receivedAt), "connection": record.connectionName, "eventId": record.eventId,
                    "type": record.type.rawValue, "user": record.user, "role": record.role, "status": record.status.rawValue,
                    "message": record.message, "change": [record.previousRole, record.newRole].compactMap { $0 }.joined(separator: " → "),
                    "actor": record.actor,
                ]
            }
            let statuses: [[String: Any]] = AccessEventStatus.allCases.map { ["value": $0.rawValue, "selected": $0 == status] }
            let model: [String: Any] = [
                "events": rows, "empty": rows.isEmpty, "statuses": statuses, "user": text("user") ?? "", "connection": text("connection") ?? "",
            ]
            return console.page("access-events", title: "Access events", model: model, request: request, context: context, current: "/access-events")
        }
    }
}
