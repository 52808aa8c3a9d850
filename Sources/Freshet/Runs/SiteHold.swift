package import Foundation

/// Tableau asked Freshet to leave a connection's site alone until `until` (a 429 naming a wait,
/// the site's daily refresh capacity used up): no refresh starts and no status checks for that
/// site's runs meanwhile, in any process sharing the store.
package struct SiteHold: Sendable, Equatable, Codable {
    /// The connection whose site is held.
    package var connectionId: String
    /// When the hold ends.
    package var until: Date
    /// Why, in Tableau's words.
    package var reason: String

    /// A hold of `connectionId`'s site until `until`, for `reason`.
    package init(connectionId: String, until: Date, reason: String) {
        self.connectionId = connectionId
        self.until = until
        self.reason = reason
    }

    /// The next 00:00 UTC after `date`: when Tableau Cloud's daily refresh capacity resets.
    package static func nextQuotaReset(after date: Date) -> Date {
        let day = 86_400.0
        return Date(timeIntervalSince1970: ((date.timeIntervalSince1970 / day).rounded(.down) + 1) * day)
    }
}

extension RunStore {
    /// The hold on `connectionId`'s site that lasts past `now`, or nil. Stores that keep no
    /// holds answer nil (holds then stay within the process that learned them).
    package func siteHold(connectionId: String, now: Date) async throws -> SiteHold? { nil }
    /// Stores `hold` unless a hold of the same site lasting longer is stored already.
    package func holdSite(_ hold: SiteHold) async throws {}
}
