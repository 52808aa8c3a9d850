import Foundation

/// What a dbt run asks Freshet to refresh, before Tableau is asked anything: for every model,
/// seed or snapshot that **succeeded**, the relation it built (a `.table` target: everything
/// downstream in Tableau's lineage), and the Tableau item of every exposure that depends on it
/// (when its URL names one, see ``DbtTableauURL``). Nodes that failed, were skipped or are tests
/// refresh nothing; each is listed in ``ignored`` with why.
package struct DbtRefreshPlan: Sendable, Equatable {
    /// One refresh target and why it is in the plan.
    package struct Candidate: Sendable, Equatable {
        package var target: RefreshTarget
        /// "model.shop.orders succeeded and rebuilt warehouse.public.orders", "exposure … depends on …".
        package var reasons: [String]

        package init(target: RefreshTarget, reasons: [String]) {
            self.target = target
            self.reasons = reasons
        }
    }

    /// The node types whose success means a relation was rebuilt.
    package static let buildingTypes: Set<String> = ["model", "seed", "snapshot"]

    package var candidates: [Candidate]
    /// Nodes and exposures that refresh nothing, with why ("model.shop.orders: error").
    package var ignored: [String]

    package init(candidates: [Candidate], ignored: [String]) {
        self.candidates = candidates
        self.ignored = ignored
    }

    /// The plan of a run (`runResults`) with its `manifest` (optional: without it only the run
    /// results' `relation_name`s are known, and no exposures).
    package init(runResults: DbtRunResults, manifest: DbtManifest?) {
        var candidates: [Candidate] = []
        var ignored: [String] = []
        var rebuilt: [String] = []
        func add(_ target: RefreshTarget, _ reason: String) {
            if let index = candidates.firstIndex(where: { $0.target == target }) {
                candidates[index].reasons.append(reason)
            } else {
                candidates.append(Candidate(target: target, reasons: [reason]))
            }
        }
        for result in runResults.results {
            let node = manifest?.nodes[result.uniqueId]
            let type = node?.resourceType ?? result.resourceType
            guard Self.buildingTypes.contains(type) else { continue }
            guard result.status == "success" else {
                ignored.append("\(result.uniqueId): \(result.status), nothing downstream is refreshed")
                continue
            }
            rebuilt.append(result.uniqueId)
            guard let table = node?.table ?? result.relationName.flatMap(DbtRelation.table) else {
                ignored.append("\(result.uniqueId): succeeded, but its relation is unknown (pass --dbt-manifest)")
                continue
            }
            add(.table(table), "\(result.uniqueId) succeeded and rebuilt \(table)")
        }
        let succeeded = Set(rebuilt)
        for exposure in manifest?.exposures ?? [] {
            let causes = exposure.dependsOn.filter(succeeded.contains)
            guard !causes.isEmpty else { continue }
            guard let target = exposure.url.flatMap(DbtTableauURL.target) else {
                ignored.append("\(exposure.uniqueId): its url names no Tableau workbook or data source by id")
                continue
            }
            add(target, "\(exposure.uniqueId) depends on \(causes.joined(separator: ", ")), which succeeded")
        }
        self.candidates = candidates
        self.ignored = ignored
    }
}
