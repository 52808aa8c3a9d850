package import Foundation

extension InMemoryStore: FreshnessStore {
    /// Updates the freshness record of `run`'s item for the run that just ended, and enqueues its
    /// alert (called by ``transition(_:expectedVersion:now:)`` in the same actor step).
    func recordFreshness(of run: Run, at now: Date) {
        let key = FreshnessKey(connectionId: run.connectionId, contentType: run.item.contentType, tableauId: run.item.tableauId)
        let previous = freshnessByKey[key]
        if let record = ItemFreshness.recording(run, onto: previous, at: now) { freshnessByKey[key] = record }
        if let alert = AlertEvent.runEnded(run, previous: previous, at: now) { enqueueAlert(alert, now: now) }
    }

    package func freshness(_ query: FreshnessQuery) -> [ItemFreshness] {
        freshnessByKey.values.filter(query.matches).sortedForListing()
    }

    package func markStale(_ key: FreshnessKey, staleSince: Date?, expected: Date?, now: Date, alert: AlertEvent?) -> Bool {
        guard var record = freshnessByKey[key], record.staleSince == expected else { return false }
        record.staleSince = staleSince
        record.updatedAt = now
        freshnessByKey[key] = record
        if let alert { enqueueAlert(alert, now: now) }
        return true
    }

    package func freshnessPolicies() -> [FreshnessPolicy] {
        freshnessPoliciesById.values.sorted { $0.scope.id < $1.scope.id }
    }

    package func setFreshnessPolicy(_ policy: FreshnessPolicy) {
        freshnessPoliciesById[policy.scope.id] = policy
    }

    package func removeFreshnessPolicy(_ scope: FreshnessPolicy.Scope) -> Bool {
        freshnessPoliciesById.removeValue(forKey: scope.id) != nil
    }
}

extension InMemoryStore: PipelineEventStore {
    package func recordPipelineEvent(_ event: PipelineEvent) -> (event: PipelineEvent, repeated: Bool) {
        let key = RunKey(connectionId: event.connectionId, key: event.eventId)
        if let first = pipelineEventsByKey[key] { return (first, true) }
        for item in event.items {
            let itemKey = FreshnessKey(connectionId: event.connectionId, contentType: item.item.contentType, tableauId: item.item.tableauId)
            if let record = ItemFreshness.applying(event, to: item, onto: freshnessByKey[itemKey]) { freshnessByKey[itemKey] = record }
        }
        pipelineEventsByKey[key] = event
        pipelineEventOrder.append(key)
        return (event, false)
    }

    package func pipelineEvents(connectionId: String?, limit: Int) -> [PipelineEvent] {
        Array(pipelineEventOrder.reversed().compactMap { pipelineEventsByKey[$0] }.filter { connectionId == nil || $0.connectionId == connectionId }.prefix(limit))
    }
}
