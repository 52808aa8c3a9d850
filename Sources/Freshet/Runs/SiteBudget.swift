import Foundation

/// How many refresh starts and job status checks one Tableau site may get from this process
/// per hour. Unset limits apply Tableau Cloud's published site capacity to Tableau Cloud sites
/// (hosts ending in `online.tableau.com`) and no limit elsewhere.
package struct TableauSiteBudget: Sendable, Equatable {
    /// Tableau Cloud: extract refreshes started through the REST API per site and hour.
    package static let cloudRefreshStartsPerHour = 60
    /// Tableau Cloud: job status and cancel calls per site, 20,000 per 24 hours (833 an hour).
    package static let cloudStatusChecksPerHour = 20_000 / 24

    /// Refresh starts per site and hour (nil: Tableau Cloud's on Cloud, else unlimited).
    package var refreshStartsPerHour: Int?
    /// Job status checks per site and hour (nil: Tableau Cloud's on Cloud, else unlimited).
    package var statusChecksPerHour: Int?

    /// A budget; limits below 1 count as 1.
    package init(refreshStartsPerHour: Int? = nil, statusChecksPerHour: Int? = nil) {
        self.refreshStartsPerHour = refreshStartsPerHour.map { max(1, $0) }
        self.statusChecksPerHour = statusChecksPerHour.map { max(1, $0) }
    }

    /// The limits for a site on `host`: (refresh starts, status checks) per hour, nil for none.
    package func limits(host: String) -> (starts: Int?, checks: Int?) {
        let cloud = host.lowercased().hasSuffix("online.tableau.com")
        return (refreshStartsPerHour ?? (cloud ? Self.cloudRefreshStartsPerHour : nil),
                statusChecksPerHour ?? (cloud ? Self.cloudStatusChecksPerHour : nil))
    }
}

/// A sliding one-hour window of calls against a limit.
struct HourlyAllowance {
    let limit: Int
    private var times: [Date] = []

    init(limit: Int) {
        self.limit = max(1, limit)
    }

    /// Takes one call at `now`: nil when it fits, else when the next one will.
    mutating func take(now: Date) -> Date? {
        let cutoff = now.addingTimeInterval(-3600)
        if let firstKept = times.firstIndex(where: { $0 > cutoff }) { times.removeFirst(firstKept) } else { times.removeAll() }
        guard times.count < limit else { return times[times.count - limit].addingTimeInterval(3600) }
        times.append(now)
        return nil
    }

    /// Gives back the last call taken (it was not made after all).
    mutating func giveBack() {
        if !times.isEmpty { times.removeLast() }
    }
}
