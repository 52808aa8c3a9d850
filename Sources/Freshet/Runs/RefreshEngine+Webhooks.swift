import Foundation
import Logging

/// Tableau webhook deliveries as hints: a delivery wakes the runs waiting on its item at once and
/// the outcome is confirmed with a check (deliveries carry no job id, may repeat, are retried and
/// are not signed: never truth). Polling stays as the slow safety net, and takes over again when
/// a job ends that no delivery announced.
extension RefreshEngine {
    /// Says whether `connectionId` has its Tableau webhooks registered (the server's registrar
    /// calls this). Jobs of a connection with webhooks are polled only as a fallback.
    package func setWebhooks(_ connectionId: String, registered: Bool) {
        if registered { webhookConnections.insert(connectionId) } else { webhookConnections.remove(connectionId) }
    }

    /// Whether deliveries are expected to announce `connectionId`'s job ends now.
    func webhooksDeliver(_ connectionId: String) -> Bool {
        webhookConnections.contains(connectionId) && !silentWebhooks.contains(connectionId)
    }

    /// A webhook delivery said a refresh of item `itemId` (a Tableau LUID) on `connectionId`
    /// ended: the jobs this process waits on for that item are checked now (a job woken less
    /// than a second ago is not checked again: deliveries repeat). Returns how many were woken.
    @discardableResult
    package func webhookDelivered(connectionId: String, itemId: String) -> Int {
        silentWebhooks.remove(connectionId)
        let now = clock.now()
        guard let ids = watched[connectionId]?.filter({ $0.value.itemId == itemId }).keys, !ids.isEmpty else {
            rememberUnmatched(connectionId: connectionId, itemId: itemId, at: now)
            return 0
        }
        var woken = 0
        for jobId in ids {
            guard var job = watched[connectionId]?.removeValue(forKey: jobId) else { continue }
            job.announced = true
            if job.hintedAt.map({ now.timeIntervalSince($0) >= 1 }) ?? true {
                job.hintedAt = now
                if job.resumeDue == nil { job.resumeDue = job.nextDue }
                job.nextDue = now
                woken += 1
            }
            watched[connectionId]?[jobId] = job
        }
        if woken > 0 { schedulePoll(connectionId, at: now) }
        return woken
    }

    /// Keeps a delivery that found no watched job for ``unmatchedDelivery(connectionId:itemId:now:)``
    /// (a minute at most, so that the memory stays bounded by the deliveries of one minute).
    private func rememberUnmatched(connectionId: String, itemId: String, at now: Date) {
        var deliveries = unmatchedDeliveries[connectionId] ?? [:]
        deliveries = deliveries.filter { now.timeIntervalSince($0.value) < Self.unmatchedDeliveryWindow }
        deliveries[itemId] = now
        unmatchedDeliveries[connectionId] = deliveries
    }

    /// How long a delivery that found no watched job still wakes a job of its item watched later.
    static let unmatchedDeliveryWindow: TimeInterval = 60

    /// Whether a delivery for `itemId` came in the last minute before any of its jobs was
    /// watched: the job watched now is then checked at once (a hint, confirmed by the check; an
    /// older refresh's delivery costs one early check at most). Consumes the delivery.
    func unmatchedDelivery(connectionId: String, itemId: String, now: Date) -> Bool {
        guard let at = unmatchedDeliveries[connectionId]?.removeValue(forKey: itemId) else { return false }
        if unmatchedDeliveries[connectionId]?.isEmpty == true { unmatchedDeliveries[connectionId] = nil }
        return now.timeIntervalSince(at) < Self.unmatchedDeliveryWindow
    }

    /// A job of a connection with webhooks ended without a delivery, long enough after it was
    /// watched that one should have come: deliveries stopped, so the connection's jobs are polled
    /// on the usual schedule until the next delivery arrives.
    func noteUnannouncedEnd(_ job: WatchedJob, connectionId: String, at now: Date) {
        guard webhooksDeliver(connectionId), !job.announced,
            now.timeIntervalSince(job.since) >= JobPollingSchedule.fallbackMinimum
        else { return }
        silentWebhooks.insert(connectionId)
        logger.info("a Tableau job ended without a webhook delivery; polling takes over", metadata: ["connection": "\(connectionId)"])
        guard let ids = watched[connectionId]?.keys.filter({ $0 != job.jobId }) else { return }
        for id in ids {
            guard var other = watched[connectionId]?.removeValue(forKey: id) else { continue }
            other.interval = configuration.polling.interval(step: other.step, expected: other.expected)
            other.nextDue = min(other.nextDue, now.addingTimeInterval(other.interval))
            watched[connectionId]?[id] = other
        }
    }
}
