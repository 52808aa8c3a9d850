package import Foundation

/// Where alerts go: a generic JSON webhook (signed with HMAC-SHA256, as access events are) or a
/// Slack-compatible incoming webhook, for the events of one connection or project (or all), of
/// the kinds it names (or all). The URL and the signing secret are stored sealed (``Keyring``) and
/// re-sealed with connection secrets on key rotation (``ConnectionStore/resealAll(_:)``).
package struct AlertRoute: Sendable, Equatable, Codable {
    /// How messages are shaped.
    package enum Format: String, Sendable, Equatable, Codable, CaseIterable {
        /// The event as JSON, signed (`X-Freshet-Signature`).
        case webhook
        /// `{"text": …, "blocks": […]}` for a Slack incoming webhook.
        case slack
    }

    package var id: String
    /// Unique, for people.
    package var name: String
    package var format: Format
    /// The destination URL, sealed (a Slack URL is itself a secret).
    package var sealedURL: String
    /// The URL's scheme and host, for listings (never the path, which may hold a token).
    package var urlHint: String
    /// The HMAC secret of a webhook, sealed; nil for Slack.
    package var sealedSecret: String?
    /// Only events of this connection (nil: every connection).
    package var connectionId: String?
    /// Only events of this project (nil: every project).
    package var project: String?
    /// Only these kinds (empty: every kind).
    package var kinds: [String]
    package var createdAt: Date
    package var createdBy: String

    package init(
        id: String = UUID().uuidString, name: String, format: Format, sealedURL: String, urlHint: String, sealedSecret: String?, connectionId: String?,
        project: String?, kinds: [String], createdAt: Date, createdBy: String
    ) {
        self.id = id
        self.name = name
        self.format = format
        self.sealedURL = sealedURL
        self.urlHint = urlHint
        self.sealedSecret = sealedSecret
        self.connectionId = connectionId
        self.project = project
        self.kinds = kinds
        self.createdAt = createdAt
        self.createdBy = createdBy
    }

    /// Whether `event` goes to this route.
    package func matches(_ event: AlertEvent) -> Bool {
        (connectionId.map { $0 == event.connectionId } ?? true) && (project.map { $0 == event.project } ?? true)
            && (kinds.isEmpty || kinds.contains(event.kind))
    }
}

/// One event on its way to one route: the outbox row.
package struct AlertDelivery: Sendable, Equatable, Codable {
    /// Where a delivery stands.
    package enum Status: String, Sendable, Equatable, Codable, CaseIterable {
        /// Not yet accepted by the receiver; tried again at ``AlertDelivery/nextAttemptAt``.
        case pending
        /// The receiver answered 2xx.
        case delivered
        /// Given up after ``AlertDispatcher/maxAttempts`` (dead-lettered); can be queued again by hand.
        case dead
    }

    package var id: String
    package var event: AlertEvent
    package var routeId: String
    package var routeName: String
    package var status: Status
    /// Sending attempts made.
    package var attempts: Int
    package var nextAttemptAt: Date
    /// The last attempt's error (HTTP status or transport error; never the URL).
    package var lastError: String?
    package var createdAt: Date
    package var deliveredAt: Date?

    package init(
        id: String = UUID().uuidString, event: AlertEvent, routeId: String, routeName: String, status: Status = .pending, attempts: Int = 0,
        nextAttemptAt: Date, lastError: String? = nil, createdAt: Date, deliveredAt: Date? = nil
    ) {
        self.id = id
        self.event = event
        self.routeId = routeId
        self.routeName = routeName
        self.status = status
        self.attempts = attempts
        self.nextAttemptAt = nextAttemptAt
        self.lastError = lastError
        self.createdAt = createdAt
        self.deliveredAt = deliveredAt
    }
}

/// How one sending attempt ended.
package enum AlertAttemptOutcome: Sendable, Equatable {
    /// The receiver accepted it.
    case delivered
    /// Try again at the date; the error says why this attempt failed.
    case retry(at: Date, error: String)
    /// Give up (dead letter).
    case dead(error: String)
}

/// Which deliveries to list, newest first.
package struct AlertDeliveryQuery: Sendable, Equatable {
    package var status: AlertDelivery.Status?
    package var eventId: String?
    package var limit: Int

    package init(status: AlertDelivery.Status? = nil, eventId: String? = nil, limit: Int = 100) {
        self.status = status
        self.eventId = eventId
        self.limit = max(1, min(limit, 1000))
    }
}

/// The durable alert outbox and its routes. Enqueuing is idempotent by event id (one delivery
/// per event and route) and writes every delivery in one transaction; a claimed delivery is
/// leased, so a process that dies while sending loses nothing: the lease lapses and another
/// claim sends it again (at least once).
package protocol AlertStore: Sendable {
    /// Stores one pending delivery of `event` per route it matches (none twice for one event id
    /// and route); returns how many deliveries it created.
    @discardableResult
    func enqueueAlert(_ event: AlertEvent, now: Date) async throws -> Int
    /// Every route, by name.
    func alertRoutes() async throws -> [AlertRoute]
    /// Adds `route`; throws ``StoreError`` when its name is taken.
    func insertAlertRoute(_ route: AlertRoute) async throws
    /// Removes the route named `name` (its pending deliveries are dead-lettered); false when none.
    func deleteAlertRoute(named name: String) async throws -> Bool
    /// Leases up to `limit` pending deliveries due at `now` whose lease is free or lapsed, to
    /// `holder` until `until`, oldest due first.
    func claimAlertDeliveries(holder: String, until: Date, now: Date, limit: Int) async throws -> [AlertDelivery]
    /// Records the attempt on delivery `id` (counting it) and frees its lease.
    func completeAlertDelivery(id: String, outcome: AlertAttemptOutcome, now: Date) async throws
    /// Deliveries matching `query`, newest first.
    func alertDeliveries(_ query: AlertDeliveryQuery) async throws -> [AlertDelivery]
    /// Queues dead delivery `id` again (attempts reset); false when there is no such dead delivery.
    func requeueAlertDelivery(id: String, now: Date) async throws -> Bool
}
