package import Foundation

/// Why a freshness policy could not be set or removed.
package struct FreshnessPolicyError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What the caller must fix.
    package let description: String
    /// Whether the connection or item named does not exist (HTTP 404) rather than bad input (400).
    package let isNotFound: Bool

    init(_ description: String, notFound: Bool = false) {
        self.description = description
        self.isNotFound = notFound
    }
}

/// Where a policy applies, as a caller names it: a connection (name or id), optionally a project
/// or one item (data source or workbook, by name or Tableau id, among the items Freshet tracks).
package struct FreshnessPolicyTarget: Sendable, Equatable, Codable {
    package var connection: String
    package var project: String?
    /// "datasource" or "workbook" (with `item`).
    package var itemType: String?
    /// The item's name or Tableau id.
    package var item: String?

    package init(connection: String, project: String? = nil, itemType: String? = nil, item: String? = nil) {
        self.connection = connection
        self.project = project
        self.itemType = itemType
        self.item = item
    }
}

/// Sets, lists and removes freshness policies, auditing every change ("freshness.policySet",
/// "freshness.policyRemoved").
package struct FreshnessPolicyService: Sendable {
    /// The largest maximum age accepted: one year.
    package static let longestMaxAge: Double = 366 * 86_400
    let store: any FreshnessStore
    let connections: any ConnectionStore
    let audit: any AuditStore
    let now: @Sendable () -> Date

    package init(store: any FreshnessStore, connections: any ConnectionStore, audit: any AuditStore, now: @escaping @Sendable () -> Date = { Date() }) {
        self.store = store
        self.connections = connections
        self.audit = audit
        self.now = now
    }

    /// Sets the policy of `target` to `maxAgeSeconds` (replacing the one it had).
    @discardableResult
    package func set(_ target: FreshnessPolicyTarget, maxAgeSeconds: Double, actor: String) async throws -> FreshnessPolicy {
        guard maxAgeSeconds.isFinite, maxAgeSeconds >= 1, maxAgeSeconds <= Self.longestMaxAge else {
            throw FreshnessPolicyError("The maximum age must be from 1 second to 366 days")
        }
        let (scope, itemName) = try await scope(of: target)
        let policy = FreshnessPolicy(scope: scope, maxAgeSeconds: maxAgeSeconds.rounded(), itemName: itemName, setBy: actor, setAt: now())
        try await store.setFreshnessPolicy(policy)
        try await audit.append(
            AuditEvent(
                time: policy.setAt, actor: actor, action: "freshness.policySet", target: scope.id, outcome: "success",
                details: ["maxAgeSeconds": String(Int(policy.maxAgeSeconds)), "scope": scope.kind]))
        return policy
    }

    /// Removes the policy of `target`; false when it had none.
    package func remove(_ target: FreshnessPolicyTarget, actor: String) async throws -> Bool {
        let (scope, _) = try await scope(of: target)
        let removed = try await store.removeFreshnessPolicy(scope)
        if removed {
            try await audit.append(
                AuditEvent(time: now(), actor: actor, action: "freshness.policyRemoved", target: scope.id, outcome: "success", details: ["scope": scope.kind]))
        }
        return removed
    }

    /// Replaces every policy with `targets` (a policy file): policies not named are removed.
    package func replaceAll(_ entries: [(target: FreshnessPolicyTarget, maxAgeSeconds: Double)], actor: String) async throws -> [FreshnessPolicy] {
        // Resolve everything first, so a bad entry changes nothing.
        var resolved: [(FreshnessPolicy.Scope, String?, Double)] = []
        for entry in entries {
            guard entry.maxAgeSeconds.isFinite, entry.maxAgeSeconds >= 1, entry.maxAgeSeconds <= Self.longestMaxAge else {
                throw FreshnessPolicyError("The maximum age must be from 1 second to 366 days (\(entry.target.connection))")
            }
            let (scope, name) = try await scope(of: entry.target)
            resolved.append((scope, name, entry.maxAgeSeconds))
        }
        let keep = Set(resolved.map(\.0.id))
        for policy in try await store.freshnessPolicies() where !keep.contains(policy.scope.id) {
            _ = try await store.removeFreshnessPolicy(policy.scope)
        }
        var policies: [FreshnessPolicy] = []
        for (scope, name, maxAge) in resolved {
            let policy = FreshnessPolicy(scope: scope, maxAgeSeconds: maxAge.rounded(), itemName: name, setBy: actor, setAt: now())
            try await store.setFreshnessPolicy(policy)
            policies.append(policy)
        }
        try await audit.append(
            AuditEvent(time: now(), actor: actor, action: "freshness.policiesReplaced", target: "freshness", outcome: "success",
                details: ["count": String(policies.count)]))
        return policies
    }

    /// The scope `target` names, and the item's name when it is an item.
    func scope(of target: FreshnessPolicyTarget) async throws -> (FreshnessPolicy.Scope, String?) {
        let stored = try await connections.connection(nameOrId: target.connection)
        guard let connection = stored?.connection else { throw FreshnessPolicyError("No connection named or with id \"\(target.connection)\"", notFound: true) }
        if let project = target.project, !project.isEmpty {
            guard target.item == nil else { throw FreshnessPolicyError("Give a project or an item, not both") }
            return (.project(connectionId: connection.id, name: project), nil)
        }
        guard let item = target.item, !item.isEmpty else {
            guard target.itemType == nil else { throw FreshnessPolicyError("An item type needs an item (its name or Tableau id)") }
            return (.connection(connectionId: connection.id), nil)
        }
        guard let typeText = target.itemType, let type = RunItem.ContentType(rawValue: typeText) else {
            throw FreshnessPolicyError("The item type must be datasource or workbook")
        }
        let tracked = try await store.freshness(FreshnessQuery(connectionId: connection.id)).filter { $0.item.contentType == type }
        let matches = tracked.filter { $0.item.tableauId == item }.isEmpty ? tracked.filter { $0.item.name == item } : tracked.filter { $0.item.tableauId == item }
        guard let match = matches.first else {
            throw FreshnessPolicyError(
                "No \(type.noun) \"\(item)\" is tracked on connection \(connection.name) (Freshet tracks the items it has refreshed)", notFound: true)
        }
        guard matches.count == 1 else {
            throw FreshnessPolicyError("Several \(type.noun)s are named \"\(item)\" on connection \(connection.name): give its Tableau id")
        }
        return (.item(match.key), match.item.name)
    }
}
