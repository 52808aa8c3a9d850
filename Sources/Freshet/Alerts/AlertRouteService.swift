import Crypto
package import Foundation

/// Why an alert route could not be added or removed.
package struct AlertRouteError: Error, Sendable, Equatable, CustomStringConvertible {
    package let description: String
    /// Whether what was named does not exist (HTTP 404) rather than bad input (400).
    package let isNotFound: Bool

    init(_ description: String, notFound: Bool = false) {
        self.description = description
        isNotFound = notFound
    }
}

/// What a caller gives to add a route.
package struct AlertRouteDraft: Sendable, Equatable {
    package var name: String
    package var format: AlertRoute.Format
    package var url: String
    /// The webhook's HMAC secret (at least 16 characters); nil makes one (shown once).
    package var secret: String?
    /// Connection name or id; nil for every connection.
    package var connection: String?
    package var project: String?
    package var kinds: [String]

    package init(name: String, format: AlertRoute.Format, url: String, secret: String? = nil, connection: String? = nil, project: String? = nil, kinds: [String] = []) {
        self.name = name
        self.format = format
        self.url = url
        self.secret = secret
        self.connection = connection
        self.project = project
        self.kinds = kinds
    }
}

/// Adds, lists and removes alert routes (URLs and secrets sealed, every change audited as
/// "alerts.routeAdded" / "alerts.routeRemoved"), and queues dead deliveries again.
package struct AlertRouteService: Sendable {
    let store: any AlertStore
    let connections: any ConnectionStore
    let audit: any AuditStore
    let keyring: Keyring
    let now: @Sendable () -> Date

    package init(store: any AlertStore, connections: any ConnectionStore, audit: any AuditStore, keyring: Keyring, now: @escaping @Sendable () -> Date = { Date() }) {
        self.store = store
        self.connections = connections
        self.audit = audit
        self.keyring = keyring
        self.now = now
    }

    /// Adds the route `draft` describes; returns it and, for a webhook, its signing secret (the
    /// one given or a new one: shown this once).
    package func add(_ draft: AlertRouteDraft, actor: String) async throws -> (route: AlertRoute, secret: String?) {
        let name = draft.name.trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty, name.count <= 100 else { throw AlertRouteError("The route name must be 1 to 100 characters") }
        let hint = try Self.check(draft.url)
        var connectionId: String?
        if let connection = draft.connection, !connection.isEmpty {
            let stored = try await connections.connection(nameOrId: connection)
            guard let stored else { throw AlertRouteError("No connection named or with id \"\(connection)\"", notFound: true) }
            connectionId = stored.connection.id
        }
        var secret: String?
        if draft.format == .webhook {
            secret = draft.secret ?? "whsec_" + SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }.base64EncodedString()
            guard secret!.count >= AccessEventSignature.minimumSecretLength else {
                throw AlertRouteError("The signing secret must be at least \(AccessEventSignature.minimumSecretLength) characters")
            }
        } else if draft.secret != nil {
            throw AlertRouteError("Slack routes are not signed: the URL is the secret")
        }
        let route = AlertRoute(
            name: name, format: draft.format, sealedURL: try keyring.seal(draft.url), urlHint: hint, sealedSecret: try secret.map { try keyring.seal($0) },
            connectionId: connectionId, project: draft.project.flatMap { $0.isEmpty ? nil : $0 }, kinds: draft.kinds, createdAt: now(), createdBy: actor)
        try await store.insertAlertRoute(route)
        var details = ["format": route.format.rawValue, "url": hint]
        if let connectionId { details["connection"] = connectionId }
        if let project = route.project { details["project"] = project }
        if !route.kinds.isEmpty { details["kinds"] = route.kinds.joined(separator: ",") }
        try await audit.append(AuditEvent(time: route.createdAt, actor: actor, action: "alerts.routeAdded", target: name, outcome: "success", details: details))
        return (route, secret)
    }

    /// Removes the route named `name` (its pending deliveries are dead-lettered).
    package func remove(_ name: String, actor: String) async throws {
        guard try await store.deleteAlertRoute(named: name) else { throw AlertRouteError("No alert route named \"\(name)\"", notFound: true) }
        try await audit.append(AuditEvent(time: now(), actor: actor, action: "alerts.routeRemoved", target: name, outcome: "success"))
    }

    /// Queues dead delivery `id` again.
    package func retry(_ id: String, actor: String) async throws {
        guard try await store.requeueAlertDelivery(id: id, now: now()) else {
            throw AlertRouteError("No dead-lettered delivery \"\(id)\" whose route still exists", notFound: true)
        }
        try await audit.append(AuditEvent(time: now(), actor: actor, action: "alerts.deliveryRequeued", target: id, outcome: "success"))
    }

    /// The URL's scheme and host (what listings show); throws unless it is https, or http to a loopback host.
    static func check(_ url: String) throws -> String {
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(), let host = components.host, !host.isEmpty else {
            throw AlertRouteError("The URL must be an absolute http(s) URL")
        }
        guard scheme == "https" || (scheme == "http" && ServerURL.isLoopback(host)) else {
            throw AlertRouteError("The URL must use https (plain http only to a loopback host)")
        }
        return "\(scheme)://\(host)" + (components.port.map { ":\($0)" } ?? "")
    }
}

/// The small API other components use to raise an alert: one call, durable before it returns,
/// delivered at least once to every matching route (see docs/decisions/0008-alert-outbox.md).
///
/// ```swift
/// let outbox = AlertOutbox(store: store)
/// try await outbox.enqueue(AlertEvent(id: "token.expiring.\(token.id).\(day)", kind: "token.expiring", occurredAt: now,
///                                     summary: "API token etl expires in 3 days"))
/// ```
package struct AlertOutbox: Sendable {
    let store: any AlertStore
    let now: @Sendable () -> Date

    package init(store: any AlertStore, now: @escaping @Sendable () -> Date = { Date() }) {
        self.store = store
        self.now = now
    }

    /// Stores `event` for every route it matches (by connection, project and kind); returns how
    /// many deliveries that made. Enqueuing the same event id again adds nothing.
    @discardableResult
    package func enqueue(_ event: AlertEvent) async throws -> Int {
        try await store.enqueueAlert(event, now: now())
    }
}
