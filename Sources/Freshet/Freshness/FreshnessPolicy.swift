package import Foundation

/// A maximum age for items: one item, every item of a project, or every item of a connection.
/// An item older than the most specific policy that applies to it (item, then project, then
/// connection) is stale.
package struct FreshnessPolicy: Sendable, Equatable, Codable {
    /// What a policy applies to.
    package enum Scope: Sendable, Hashable, Codable {
        /// Every item of a connection.
        case connection(connectionId: String)
        /// Every item of a project on a connection.
        case project(connectionId: String, name: String)
        /// One item.
        case item(FreshnessKey)

        /// The connection the scope belongs to.
        package var connectionId: String {
            switch self {
            case .connection(let id), .project(let id, _): id
            case .item(let key): key.connectionId
            }
        }

        /// A stable text key (the store's primary key).
        package var id: String {
            switch self {
            case .connection(let id): "connection:\(id)"
            case .project(let id, let name): "project:\(id):\(name)"
            case .item(let key): "item:\(key.connectionId):\(key.contentType.rawValue):\(key.tableauId)"
            }
        }

        /// "connection", "project" or "item".
        package var kind: String {
            switch self {
            case .connection: "connection"
            case .project: "project"
            case .item: "item"
            }
        }

        /// How specific the scope is: item 3, project 2, connection 1.
        var rank: Int {
            switch self {
            case .connection: 1
            case .project: 2
            case .item: 3
            }
        }

        /// Whether the scope covers `record`.
        package func covers(_ record: ItemFreshness) -> Bool {
            switch self {
            case .connection(let id): id == record.connectionId
            case .project(let id, let name): id == record.connectionId && record.projectName == name
            case .item(let key): key == record.key
            }
        }
    }

    /// What the policy applies to.
    package var scope: Scope
    /// The largest age, in seconds, an item may reach before it is stale.
    package var maxAgeSeconds: Double
    /// The item's name when the scope is an item (for people; the key is its Tableau id).
    package var itemName: String?
    /// Who set it, and when.
    package var setBy: String
    package var setAt: Date

    package init(scope: Scope, maxAgeSeconds: Double, itemName: String? = nil, setBy: String, setAt: Date) {
        self.scope = scope
        self.maxAgeSeconds = maxAgeSeconds
        self.itemName = itemName
        self.setBy = setBy
        self.setAt = setAt
    }

    /// The most specific of `policies` that covers `record`, or nil.
    package static func governing(_ record: ItemFreshness, in policies: [FreshnessPolicy]) -> FreshnessPolicy? {
        policies.filter { $0.scope.covers(record) }.max { $0.scope.rank < $1.scope.rank }
    }
}
