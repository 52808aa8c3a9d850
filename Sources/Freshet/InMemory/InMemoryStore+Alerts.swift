package import Foundation

extension InMemoryStore: AlertStore {
    @discardableResult
    package func enqueueAlert(_ event: AlertEvent, now: Date) -> Int {
        var created = 0
        for route in alertRoutesById.values where route.matches(event) {
            guard !alertDeliveriesById.values.contains(where: { $0.event.id == event.id && $0.routeId == route.id }) else { continue }
            let delivery = AlertDelivery(event: event, routeId: route.id, routeName: route.name, nextAttemptAt: now, createdAt: now)
            alertDeliveriesById[delivery.id] = delivery
            created += 1
        }
        return created
    }

    package func alertRoutes() -> [AlertRoute] {
        alertRoutesById.values.sorted { $0.name < $1.name }
    }

    package func insertAlertRoute(_ route: AlertRoute) throws {
        guard !alertRoutesById.values.contains(where: { $0.name == route.name }) else { throw StoreError(.conflict, "An alert route named \"\(route.name)\" already exists") }
        alertRoutesById[route.id] = route
    }

    package func deleteAlertRoute(named name: String) -> Bool {
        guard let route = alertRoutesById.values.first(where: { $0.name == name }) else { return false }
        alertRoutesById[route.id] = nil
        for (id, delivery) in alertDeliveriesById where delivery.routeId == route.id && delivery.status == .pending {
            alertDeliveriesById[id]?.status = .dead
            alertDeliveriesById[id]?.lastError = "The route was removed"
        }
        return true
    }

    package func claimAlertDeliveries(holder: String, until: Date, now: Date, limit: Int) -> [AlertDelivery] {
        let due = alertDeliveriesById.values.filter { delivery in
            delivery.status == .pending && delivery.nextAttemptAt <= now && (alertLeases[delivery.id].map { $0.until <= now } ?? true)
        }.sorted { ($0.nextAttemptAt, $0.createdAt, $0.id) < ($1.nextAttemptAt, $1.createdAt, $1.id) }.prefix(max(0, limit))
        for delivery in due { alertLeases[delivery.id] = (holder, until) }
        return Array(due)
    }

    package func completeAlertDelivery(id: String, outcome: AlertAttemptOutcome, now: Date) {
        guard var delivery = alertDeliveriesById[id], delivery.status == .pending else { return }
        delivery.attempts += 1
        switch outcome {
        case .delivered:
            delivery.status = .delivered
            delivery.deliveredAt = now
            delivery.lastError = nil
        case .retry(let at, let error):
            delivery.nextAttemptAt = at
            delivery.lastError = error
        case .dead(let error):
            delivery.status = .dead
            delivery.lastError = error
        }
        alertDeliveriesById[id] = delivery
        alertLeases[id] = nil
    }

    package func alertDeliveries(_ query: AlertDeliveryQuery) -> [AlertDelivery] {
        Array(
            alertDeliveriesById.values.filter { delivery in
                (query.status.map { delivery.status == $0 } ?? true) && (query.eventId.map { delivery.event.id == $0 } ?? true)
            }.sorted { ($0.createdAt, $0.id) > ($1.createdAt, $1.id) }.prefix(query.limit))
    }

    package func requeueAlertDelivery(id: String, now: Date) -> Bool {
        guard var delivery = alertDeliveriesById[id], delivery.status == .dead, alertRoutesById[delivery.routeId] != nil else { return false }
        delivery.status = .pending
        delivery.attempts = 0
        delivery.nextAttemptAt = now
        alertDeliveriesById[id] = delivery
        return true
    }

    /// Every route re-sealed with `transform` (part of ``resealAll(_:)``), or a throw with nothing changed.
    func resealedAlertRoutes(_ transform: @Sendable (String) throws -> String) throws -> [String: AlertRoute] {
        var routes = alertRoutesById
        for (id, route) in alertRoutesById {
            routes[id]?.sealedURL = try transform(route.sealedURL)
            routes[id]?.sealedSecret = try route.sealedSecret.map(transform)
        }
        return routes
    }
}
