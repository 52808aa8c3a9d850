package import Foundation

/// An alert route as the API and the CLI show it: the URL only as scheme and host, never the secret.
package struct AlertRouteView: Sendable, Equatable, Codable {
    package var id: String
    package var name: String
    package var format: String
    /// Scheme and host of the URL (its path may hold a token, so it is never shown).
    package var url: String
    package var signed: Bool
    package var connectionId: String?
    package var project: String?
    package var kinds: [String]
    package var createdAt: Date
    package var createdBy: String

    package init(_ route: AlertRoute) {
        id = route.id
        name = route.name
        format = route.format.rawValue
        url = route.urlHint
        signed = route.sealedSecret != nil
        connectionId = route.connectionId
        project = route.project
        kinds = route.kinds
        createdAt = route.createdAt
        createdBy = route.createdBy
    }
}

/// One outbox delivery as the API and the CLI show it.
package struct AlertDeliveryView: Sendable, Equatable, Codable {
    package var id: String
    package var eventId: String
    package var kind: String
    package var summary: String
    package var route: String
    /// pending, delivered or dead.
    package var status: String
    package var attempts: Int
    package var nextAttemptAt: Date?
    package var lastError: String?
    package var createdAt: Date
    package var deliveredAt: Date?
    package var connectionId: String?
    package var itemName: String?
    package var runId: String?

    package init(_ delivery: AlertDelivery) {
        id = delivery.id
        eventId = delivery.event.id
        kind = delivery.event.kind
        summary = delivery.event.summary
        route = delivery.routeName
        status = delivery.status.rawValue
        attempts = delivery.attempts
        nextAttemptAt = delivery.status == .pending ? delivery.nextAttemptAt : nil
        lastError = delivery.lastError
        createdAt = delivery.createdAt
        deliveredAt = delivery.deliveredAt
        connectionId = delivery.event.connectionId
        itemName = delivery.event.item?.name
        runId = delivery.event.runId
    }
}
