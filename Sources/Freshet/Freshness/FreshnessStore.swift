package import Foundation

/// Which freshness records to read.
package struct FreshnessQuery: Sendable, Equatable {
    /// Only items of this connection.
    package var connectionId: String?
    /// Only items of this project.
    package var projectName: String?

    package init(connectionId: String? = nil, projectName: String? = nil) {
        self.connectionId = connectionId
        self.projectName = projectName
    }

    /// Whether `record` matches.
    package func matches(_ record: ItemFreshness) -> Bool {
        (connectionId.map { $0 == record.connectionId } ?? true) && (projectName.map { $0 == record.projectName } ?? true)
    }
}

/// Per-item freshness records and freshness policies. Records are written by the run store as
/// runs end (see ``ItemFreshness``); this protocol reads them and keeps their stale mark.
package protocol FreshnessStore: Sendable {
    /// Records matching `query`, by connection, content type and name.
    func freshness(_ query: FreshnessQuery) async throws -> [ItemFreshness]
    /// Sets the stale mark of the item `key` to `staleSince` if it is still `expected` (compare
    /// and set, so two evaluators never both report one transition) and, in the same write,
    /// enqueues `alert` (``AlertStore/enqueueAlert(_:now:)``). True when it changed.
    func markStale(_ key: FreshnessKey, staleSince: Date?, expected: Date?, now: Date, alert: AlertEvent?) async throws -> Bool
    /// Every policy, by scope id.
    func freshnessPolicies() async throws -> [FreshnessPolicy]
    /// Adds or replaces the policy of `policy.scope`.
    func setFreshnessPolicy(_ policy: FreshnessPolicy) async throws
    /// Removes the policy of `scope`; true when there was one.
    func removeFreshnessPolicy(_ scope: FreshnessPolicy.Scope) async throws -> Bool
}

extension Array where Element == ItemFreshness {
    /// Sorted as every listing shows records: connection, content type, name, Tableau id.
    package func sortedForListing() -> [ItemFreshness] {
        sorted {
            ($0.connectionId, $0.item.contentType.rawValue, $0.item.name.lowercased(), $0.item.tableauId)
                < ($1.connectionId, $1.item.contentType.rawValue, $1.item.name.lowercased(), $1.item.tableauId)
        }
    }
}
