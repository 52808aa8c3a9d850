import Foundation

/// What an API token may do. Admin tokens (``APIToken/isAdmin``) may do everything, including
/// managing tokens; other tokens only what their scopes name.
package enum TokenScope: String, Sendable, CaseIterable, Codable, Comparable {
    /// Start and cancel refreshes of the content the token's allow-list names.
    case refresh
    /// Read connections (masked), runs and their outcomes.
    case read
    /// Create, edit, delete and check connections.
    case connectionsAdmin = "connections:admin"
    /// Set site roles through the access-management workflows.
    case usersAdmin = "users:admin"
    /// Read the audit log.
    case auditRead = "audit:read"
    /// Call any Tableau REST endpoint through a connection's session.
    case tableauPassthrough = "tableau:passthrough"

    package static func < (lhs: TokenScope, rhs: TokenScope) -> Bool { lhs.rawValue < rhs.rawValue }

    /// The scope named `text` (as written in requests and on the command line), or nil.
    package init?(named text: String) {
        self.init(rawValue: text.trimmingCharacters(in: .whitespaces))
    }
}
