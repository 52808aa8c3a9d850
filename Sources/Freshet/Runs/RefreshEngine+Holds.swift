import Foundation
import Logging

/// Tableau's limits as holds: a site Tableau asked to be left alone gets no refresh starts and no
/// status checks until the hold ends (runs wait, none fails), and each site's hourly budget of
/// refresh starts and status checks is never exceeded by this process.
extension RefreshEngine {
    /// The hold on `connectionId`'s site now: this process's, or one another process stored (read
    /// at most once a second per site).
    func currentHold(_ connectionId: String) async -> SiteHold? {
        let now = clock.now()
        if holdsReadAt[connectionId].map({ now.timeIntervalSince($0) >= 1 }) ?? true {
            holdsReadAt[connectionId] = now
            if let stored = try? await store.siteHold(connectionId: connectionId, now: now),
                stored.until > (siteHolds[connectionId]?.until ?? .distantPast)
            {
                siteHolds[connectionId] = stored
            }
        }
        guard let hold = siteHolds[connectionId], hold.until > clock.now() else { return nil }
        return hold
    }

    /// Holds `connectionId`'s site until `until` (a longer hold already in place stays) and stores
    /// the hold for every process; returns the hold in force.
    @discardableResult
    func holdSite(_ connectionId: String, until: Date, reason: String) async -> SiteHold {
        if let existing = siteHolds[connectionId], existing.until >= until { return existing }
        let hold = SiteHold(connectionId: connectionId, until: until, reason: reason)
        siteHolds[connectionId] = hold
        logger.warning(
            "Tableau holds the site; no calls until the hold ends",
            metadata: ["connection": "\(connectionId)", "until": "\(until.ISO8601Format())", "reason": "\(reason)"])
        do { try await store.holdSite(hold) } catch {
            logger.warning("could not store the site hold", metadata: ["connection": "\(connectionId)", "error": "\(error)"])
        }
        return hold
    }

    /// The hold a failed call asks for: Tableau's named wait (429 Retry-After or "retry after N
    /// minutes"), or its daily capacity used up (until 00:00 UTC). Nil for other failures.
    func holdAsked(by error: GatewayError) -> (until: Date, reason: String)? {
        if let seconds = error.holdSeconds, seconds > 0 {
            return (clock.now().addingTimeInterval(seconds), "Tableau asked to wait (HTTP \(error.status ?? 429)): \(error.message)")
        }
        return quotaHold(error.message, status: error.status, code: error.code)
    }

    /// A hold until the daily capacity resets, when `text` says it is used up.
    func quotaHold(_ text: String, status: Int? = nil, code: String? = nil) -> (until: Date, reason: String)? {
        guard TableauFailureReason.recognise(text, status: status, code: code) == .quotaExhausted else { return nil }
        return (SiteHold.nextQuotaReset(after: clock.now()), "\(TableauFailureReason.quotaExhausted.title): \(text)")
    }

    /// The event a job failure becomes: a hold when the site's capacity was used up, else the
    /// failure with its reason named.
    func jobFailureEvent(_ notes: String?, connectionId: String) async -> RunEvent {
        guard let notes else { return .jobFailed(notes: nil) }
        if let (until, reason) = quotaHold(notes) {
            let hold = await holdSite(connectionId, until: until, reason: reason)
            return .held(until: hold.until, reason: hold.reason)
        }
        return .jobFailed(notes: TableauFailureReason.explain(notes))
    }

    // MARK: Budget

    /// Takes one refresh start from `connectionId`'s hourly budget: nil when it fits, else when the next one will.
    func takeRefreshStart(_ connectionId: String) async -> Date? {
        guard let limit = await budgetLimits(connectionId).starts else { return nil }
        var allowance = startAllowances[connectionId] ?? HourlyAllowance(limit: limit)
        defer { startAllowances[connectionId] = allowance }
        return allowance.take(now: clock.now())
    }

    /// Gives back a refresh start that was not made (the run found no job slot).
    func giveBackRefreshStart(_ connectionId: String) {
        startAllowances[connectionId]?.giveBack()
    }

    /// Takes `count` status checks from `connectionId`'s hourly budget: nil when they fit, else when the next one will.
    func takeStatusChecks(_ connectionId: String, count: Int = 1) async -> Date? {
        guard let limit = await budgetLimits(connectionId).checks else { return nil }
        var allowance = checkAllowances[connectionId] ?? HourlyAllowance(limit: limit)
        defer { checkAllowances[connectionId] = allowance }
        for taken in 0..<max(1, count) {
            if let next = allowance.take(now: clock.now()) {
                for _ in 0..<taken { allowance.giveBack() }
                return next
            }
        }
        return nil
    }

    private func budgetLimits(_ connectionId: String) async -> (starts: Int?, checks: Int?) {
        if let known = siteLimits[connectionId] { return known }
        let host = (try? await connections.connection(id: connectionId))?.connection.server.host ?? ""
        let limits = configuration.siteBudget.limits(host: host)
        siteLimits[connectionId] = limits
        return limits
    }

    /// Whether a trigger of run `id` may go ahead now; otherwise the run is told when to try
    /// again (a run whose trigger is in flight gets a ``RunEvent/held(until:reason:)``).
    func mayStart(_ id: String, connectionId: String) async -> (until: Date, reason: String)? {
        if let hold = await currentHold(connectionId) { return (hold.until, hold.reason) }
        if let next = await takeRefreshStart(connectionId) {
            let limit = siteLimits[connectionId]?.starts ?? 0
            return (next, "Freshet's budget of \(limit) refresh starts per hour for this site is used up")
        }
        return nil
    }
}
