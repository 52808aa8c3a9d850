import Foundation

/// What a caller asks to refresh; ``TargetResolver`` turns it into Tableau items.
package enum RefreshTarget: Sendable, Equatable, Hashable, CustomStringConvertible {
    /// A data source by Tableau id or by name, optionally qualified by its project.
    case datasource(String, project: String? = nil)
    /// A workbook by Tableau id or by name, optionally qualified by its project.
    case workbook(String, project: String? = nil)
    /// Every workbook and data source with an extract in a project.
    case project(String)
    /// Everything downstream of a database table, from the Metadata API lineage.
    case table(TableName)

    /// "datasource Sales", "workbook Finance/Overview", "project Finance", "table db.public.orders".
    package var description: String {
        switch self {
        case .datasource(let name, let project): "datasource " + Self.qualified(name, project)
        case .workbook(let name, let project): "workbook " + Self.qualified(name, project)
        case .project(let name): "project \(name)"
        case .table(let table): "table \(table)"
        }
    }

    private static func qualified(_ name: String, _ project: String?) -> String {
        project.map { "\($0)/\(name)" } ?? name
    }

    /// Whether `text` looks like a Tableau id (a LUID: 8-4-4-4-12 hexadecimal digits).
    package static func isTableauId(_ text: String) -> Bool {
        let groups = text.split(separator: "-", omittingEmptySubsequences: false)
        guard groups.map(\.count) == [8, 4, 4, 4, 12] else { return false }
        return groups.allSatisfy { $0.allSatisfy(\.isHexDigit) }
    }
}

/// A request to refresh Tableau content on one connection.
package struct RefreshRequest: Sendable, Equatable {
    /// The connection, by name or id.
    package var connection: String
    /// What to refresh (at least one).
    package var targets: [RefreshTarget]
    /// Repeating a request with the same key (on the same connection) returns the same runs.
    package var idempotencyKey: String?
    /// How long each run may take from acceptance before it times out (its Tableau job is then cancelled).
    package var timeout: Duration?
    /// How Tableau-reported failures are retried (default: not at all).
    package var retryPolicy: RunRetryPolicy
    /// Whether a table target whose lineage shows nothing downstream is skipped instead of failing
    /// the request (a dbt run rebuilds relations that no dashboard reads); the request still fails
    /// when nothing at all is left to refresh.
    package var skipsTablesWithoutLineage: Bool

    /// A request for `targets` on `connection`.
    package init(
        connection: String, targets: [RefreshTarget], idempotencyKey: String? = nil, timeout: Duration? = nil,
        retryPolicy: RunRetryPolicy = RunRetryPolicy(), skipsTablesWithoutLineage: Bool = false
    ) {
        self.connection = connection
        self.targets = targets
        self.idempotencyKey = idempotencyKey
        self.timeout = timeout
        self.retryPolicy = retryPolicy
        self.skipsTablesWithoutLineage = skipsTablesWithoutLineage
    }
}

/// What a refresh request became.
package struct RefreshSubmission: Sendable, Equatable {
    /// One run per item to refresh, in target order, and whether each is new.
    package var runs: [RunCreation]
    /// Items the targets named that have no extract (live connections): reported, not refreshed.
    package var liveItems: [RefreshableItem]

    /// A submission of `runs` and `liveItems`.
    package init(runs: [RunCreation], liveItems: [RefreshableItem]) {
        self.runs = runs
        self.liveItems = liveItems
    }
}

/// Why a refresh request was refused before any run was created.
package enum RefreshRequestError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The request names nothing to refresh, or is malformed.
    case invalid(String)
    /// There is no connection with that name or id.
    case unknownConnection(String)
    /// Targets that matched nothing, or more than one item; one message per target, each listing what was found.
    case unresolved([String])
    /// Tableau could not be asked (unreachable, refused sign-in…), in Tableau's words.
    case tableau(GatewayError)
    /// The caller may not refresh some of the items; one reason per item.
    case forbidden([String])
    /// The idempotency key was already used for a different request (RFC-style 422).
    case conflict(String)
    /// Freshet's own store failed (not the caller's fault; try again later).
    case storage(String)

    package var description: String {
        switch self {
        case .invalid(let message): message
        case .unknownConnection(let name): "No connection named \"\(name)\""
        case .unresolved(let messages): messages.joined(separator: "\n")
        case .tableau(let error): error.message
        case .forbidden(let reasons): reasons.joined(separator: "\n")
        case .conflict(let message): message
        case .storage(let message): message
        }
    }
}
