public import Foundation

/// An alert route as the API and the CLI show it: the URL only as scheme and host, never the secret.
public struct AlertRouteView: Sendable, Equatable, Codable {
    public var id: String
    public var name: String
    public var format: String
    /// Scheme and host of the URL (its path may hold a token, so it is never shown).
    public var url: String
    public var signed: Bool
    public var connectionId: String?
    public var project: String?
    public var kinds: [String]
    public var createdAt: Date
    public var createdBy: String

    public init(_ route: AlertRoute) {
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
public struct AlertDeliveryView: Sendable, Equatable, Codable {
    public var id: String
    public var eventId: String
    public var kind: String
    public var summary: String
    public var route: String
    /// pending, delivered or dead.
    public var status: String
    public var attempts: Int
    public var nextAttemptAt: Date?
    public var lastError: String?
    public var createdAt: Date
    public var deliveredAt: Date?
    public var connectionId: String?
    public var itemName: String?
    public var runId: String?

    public init(_ delivery: AlertDelivery) {
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
