import Foundation
import Freshet
@testable import FreshetServer
import Testing

/// The per-item gauges: bounded (stale and oldest first), escaped, counted.
struct FreshnessExpositionTests {
    static func status(_ name: String, ageHours: Double?, failed: Bool = false, project: String? = "P") -> FreshnessStatus {
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        var record = ItemFreshness(connectionId: "c1", item: RunItem(contentType: .datasource, tableauId: name, name: name), projectName: project, updatedAt: now)
        record.lastSuccessAt = ageHours.map { now.addingTimeInterval(-$0 * 3600) }
        if failed { record.lastFailureAt = now }
        return FreshnessStatus(record, policies: [], now: now)
    }

    @Test func theLimitKeepsStaleThenOldestItemsAndCountsTheRest() {
        let statuses = [Self.status("new", ageHours: 1), Self.status("old", ageHours: 9), Self.status("broken", ageHours: 2, failed: true)]
        let text = FreshnessExposition.render(statuses, connectionNames: ["c1": "prod"], limit: 2)
        #expect(text.contains(#"freshet_item_stale{connection="prod",project="P",type="datasource",item="broken"} 1"#))
        #expect(text.contains(#"freshet_item_freshness_age_seconds{connection="prod",project="P",type="datasource",item="old"} 32400"#))
        #expect(!text.contains(#"item="new""#))
        #expect(text.contains("freshet_freshness_items_unlisted 1"))
        #expect(text.contains(#"freshet_freshness_items{state="fresh"} 2"#) && text.contains(#"freshet_freshness_items{state="stale"} 1"#))
    }

    @Test func labelValuesAreEscaped() {
        let text = FreshnessExposition.render([Self.status("a \"quoted\" \\ name\nx", ageHours: 1, project: nil)], connectionNames: [:], limit: 10)
        #expect(text.contains(#"{connection="c1",project="",type="datasource",item="a \"quoted\" \\ name\nx"} 0"#))
    }
}
