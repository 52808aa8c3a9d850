/// A piece of Tableau content (or a connection) as a token's allow-list sees it: its name and,
/// when known, its id.
package struct ContentName: Sendable, Hashable, Codable, CustomStringConvertible {
    package var id: String?
    package var name: String

    package init(id: String? = nil, name: String) {
        self.id = id
        self.name = name
    }

    package var description: String { "\"\(name)\"" }
}

/// What a refresh would touch: one workbook or data source (with its project when known), or a
/// whole project, on one connection.
package struct RefreshContent: Sendable, Hashable, Codable {
    package enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        case workbook, datasource, project
    }

    package var connection: ContentName
    package var kind: Kind
    /// The workbook, data source or (for ``Kind/project``) project.
    package var item: ContentName
    /// The project holding a workbook or data source, when known.
    package var project: ContentName?

    package init(connection: ContentName, kind: Kind, item: ContentName, project: ContentName? = nil) {
        self.connection = connection
        self.kind = kind
        self.item = item
        self.project = project
    }

    /// "workbook \"Sales\" in project \"Finance\" on connection \"prod\"".
    package var phrase: String {
        let kindName = kind == .datasource ? "data source" : kind.rawValue
        let inProject = project.map { " in project \($0)" } ?? ""
        return "\(kindName) \(item)\(inProject) on connection \(connection)"
    }
}

/// What a request wants to do.
package enum TokenAction: Sendable, Hashable {
    /// List and read connections (masked).
    case readConnections
    /// Create, edit, delete or check a connection.
    case manageConnections
    /// Read refresh runs (every run).
    case readRuns
    /// Read one refresh run of this content: `read`, or `refresh` with the content in the
    /// allow-list (a pipeline follows the runs it may start, and only those).
    case readRun(RefreshContent)
    /// Start or cancel a refresh of this content.
    case refresh(RefreshContent)
    /// Read the audit log.
    case readAudit
    /// Set site roles.
    case manageUsers
    /// Call Tableau's REST API through a connection.
    case passthrough
    /// Create, list and revoke API tokens (admin tokens only).
    case manageTokens

    /// The scope the action needs (nil: admin only).
    package var requiredScope: TokenScope? {
        switch self {
        case .readConnections, .readRuns, .readRun: .read
        case .manageConnections: .connectionsAdmin
        case .refresh: .refresh
        case .readAudit: .auditRead
        case .manageUsers: .usersAdmin
        case .passthrough: .tableauPassthrough
        case .manageTokens: nil
        }
    }
}

/// Why a token may not do something; ``message`` names the missing scope or the content.
package struct Denial: Error, Sendable, Equatable, CustomStringConvertible {
    package enum Reason: Sendable, Equatable {
        case revoked
        case expired
        case adminRequired
        case missingScope(TokenScope)
        case contentNotAllowed(RefreshContent)
        /// A run of this content, read by a token with `refresh` (not `read`) and the content outside its allow-list.
        case runNotAllowed(RefreshContent)
    }

    package var reason: Reason
    package var message: String

    package init(_ reason: Reason) {
        self.reason = reason
        switch reason {
        case .revoked: message = "This API token has been revoked."
        case .expired: message = "This API token has expired."
        case .adminRequired: message = "Managing API tokens needs an admin token."
        case .missingScope(let scope): message = "This API token lacks the scope \"\(scope.rawValue)\"."
        case .contentNotAllowed(let content):
            message = "This API token may not refresh \(content.phrase): it is not in the token's allow-list."
        case .runNotAllowed(let content):
            message =
                "This API token may not read the run of \(content.phrase): it is not in the token's allow-list, and the token lacks the scope \"read\"."
        }
    }

    package var description: String { message }

    /// The scope that was missing, if that was the reason.
    package var missingScope: TokenScope? {
        if case .missingScope(let scope) = reason { return scope }
        return nil
    }
}

/// The answer to "may this token do this".
package enum AuthorizationDecision: Sendable, Equatable {
    case allowed
    case denied(Denial)

    package var isAllowed: Bool { self == .allowed }
}
