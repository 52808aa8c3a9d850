import Foundation
import Freshet

/// The per-item freshness gauges of `/metrics`, computed at scrape time (an age is only right
/// at the moment it is read):
///
/// - `freshet_item_freshness_age_seconds{connection,project,type,item}`: seconds since the item's
///   last successful refresh (absent for items that never had one);
/// - `freshet_item_stale{connection,project,type,item}`: 1 when stale, else 0;
/// - `freshet_freshness_items{state="fresh"|"stale"}` and `freshet_freshness_items_unlisted`.
///
/// Cardinality is bounded: at most `limit` items get per-item series (stale items first, then the
/// oldest), so a site with more items never grows the scrape without bound; the rest are counted
/// in `freshet_freshness_items_unlisted`.
enum FreshnessExposition {
    /// Per-item series at most, unless `FRESHET_FRESHNESS_METRICS_LIMIT` says otherwise.
    static let defaultLimit = 10_000

    static func render(_ statuses: [FreshnessStatus], connectionNames: [String: String], limit: Int) -> String {
        let ordered = statuses.sorted { ($0.isStale ? 0 : 1, -($0.ageSeconds ?? .infinity)) < ($1.isStale ? 0 : 1, -($1.ageSeconds ?? .infinity)) }
        let listed = ordered.prefix(max(0, limit))
        var age = """
            # HELP freshet_item_freshness_age_seconds Seconds since the item's last successful refresh by Freshet.
            # TYPE freshet_item_freshness_age_seconds gauge

            """
        var stale = """
            # HELP freshet_item_stale Whether the item is stale (its last refresh failed, it never succeeded, or it is older than its policy).
            # TYPE freshet_item_stale gauge

            """
        age.reserveCapacity(listed.count * 140)
        stale.reserveCapacity(listed.count * 120)
        for status in listed {
            let record = status.record
            let labels =
                "{connection=\"\(escape(connectionNames[record.connectionId] ?? record.connectionId))\",project=\"\(escape(record.projectName ?? ""))\",type=\"\(record.item.contentType.rawValue)\",item=\"\(escape(record.item.name))\"}"
            if let seconds = status.ageSeconds { age += "freshet_item_freshness_age_seconds\(labels) \(Int(seconds))\n" }
            stale += "freshet_item_stale\(labels) \(status.isStale ? 1 : 0)\n"
        }
        let staleCount = statuses.filter(\.isStale).count
        return age + stale + """
            # HELP freshet_freshness_items Items Freshet tracks, by state.
            # TYPE freshet_freshness_items gauge
            freshet_freshness_items{state="fresh"} \(statuses.count - staleCount)
            freshet_freshness_items{state="stale"} \(staleCount)
            # HELP freshet_freshness_items_unlisted Tracked items left out of the per-item series (FRESHET_FRESHNESS_METRICS_LIMIT).
            # TYPE freshet_freshness_items_unlisted gauge
            freshet_freshness_items_unlisted \(statuses.count - listed.count)

            """
    }

    /// A label value in Prometheus' text format.
    static func escape(_ value: String) -> String {
        guard value.contains(where: { $0 == "\\" || $0 == "\"" || $0 == "\n" }) else { return value }
        return value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"").replacingOccurrences(of: "\n", with: "\\n")
    }
}
