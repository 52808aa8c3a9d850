import Foundation

/// A ``DbtRefreshPlan`` after Tableau was asked what each candidate is: the items to refresh
/// (each once, with every reason that led to it), the live items (nothing to refresh) and the
/// candidates Tableau knows nothing downstream of (a staging model no dashboard reads). Unlike a
/// plain request, a candidate that resolves to nothing is reported, not an error.
package struct DbtResolvedPlan: Sendable, Equatable {
    /// A Tableau item and why the dbt run refreshes it.
    package struct Entry: Sendable, Equatable {
        package var item: RefreshableItem
        package var reasons: [String]
    }

    /// How Tableau answered for one candidate: its items, or why it has none.
    package enum Resolution: Sendable, Equatable {
        case items([RefreshableItem])
        case nothing(String)
    }

    package var refresh: [Entry]
    package var live: [Entry]
    /// Candidates that refresh nothing ("table warehouse.raw.raw_orders: …") and the plan's ignored nodes.
    package var skipped: [String]

    /// Merges each candidate's resolution (same order as `plan.candidates`).
    package init(plan: DbtRefreshPlan, resolutions: [Resolution]) {
        var refresh: [Entry] = []
        var live: [Entry] = []
        var skipped: [String] = []
        for (candidate, resolution) in zip(plan.candidates, resolutions) {
            switch resolution {
            case .nothing(let why):
                skipped.append("\(candidate.target): \(why) (\(candidate.reasons.joined(separator: "; ")))")
            case .items(let items):
                for found in items {
                    if let index = refresh.firstIndex(where: { $0.item.item == found.item }) {
                        refresh[index].reasons += candidate.reasons.filter { !refresh[index].reasons.contains($0) }
                    } else if let index = live.firstIndex(where: { $0.item.item == found.item }) {
                        live[index].reasons += candidate.reasons.filter { !live[index].reasons.contains($0) }
                    } else if found.hasExtracts {
                        refresh.append(Entry(item: found, reasons: candidate.reasons))
                    } else {
                        live.append(Entry(item: found, reasons: candidate.reasons))
                    }
                }
            }
        }
        self.refresh = refresh
        self.live = live
        self.skipped = skipped + plan.ignored
    }

    /// The items to refresh as exact targets (by Tableau id).
    package var targets: [RefreshTarget] {
        refresh.map { entry -> RefreshTarget in
            switch entry.item.item.contentType {
            case .workbook: .workbook(entry.item.item.tableauId)
            case .datasource: .datasource(entry.item.item.tableauId)
            }
        }
    }

    /// The plan for people: what would be refreshed and why, what is live, what refreshes nothing.
    package var lines: [String] {
        func describe(_ entry: Entry) -> String {
            let project = entry.item.projectName.map { " (project \($0))" } ?? ""
            return "\(entry.item.item.contentType.rawValue) \"\(entry.item.item.name)\"\(project) [\(entry.item.item.tableauId)]"
        }
        var lines = ["Would refresh \(refresh.count) item(s):"]
        for entry in refresh {
            lines.append("  \(describe(entry))")
            lines += entry.reasons.map { "      because \($0)" }
        }
        if !live.isEmpty {
            lines.append("Live, nothing to refresh:")
            lines += live.map { "  \(describe($0))" }
        }
        if !skipped.isEmpty {
            lines.append("Refreshes nothing:")
            lines += skipped.map { "  \($0)" }
        }
        return lines
    }
}
