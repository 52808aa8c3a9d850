/// What a token with the ``TokenScope/refresh`` scope may refresh. Deny by default: an empty
/// list allows nothing, `*` allows everything.
///
/// A refresh is allowed when its connection matches ``connections`` (by name or id) **and** its
/// content matches one of: its project in ``projects``, a workbook in ``workbooks``, a data
/// source in ``datasources`` (each by name or id).
package struct TokenAllowList: Sendable, Equatable, Codable {
    package var connections: [GlobPattern]
    package var projects: [GlobPattern]
    package var workbooks: [GlobPattern]
    package var datasources: [GlobPattern]

    package init(connections: [GlobPattern] = [], projects: [GlobPattern] = [], workbooks: [GlobPattern] = [], datasources: [GlobPattern] = []) {
        self.connections = connections
        self.projects = projects
        self.workbooks = workbooks
        self.datasources = datasources
    }

    /// Everything on every connection.
    package static let everything = TokenAllowList(
        connections: [GlobPattern("*")], projects: [GlobPattern("*")], workbooks: [GlobPattern("*")], datasources: [GlobPattern("*")])

    /// Whether nothing is allowed at all.
    package var isEmpty: Bool { connections.isEmpty && projects.isEmpty && workbooks.isEmpty && datasources.isEmpty }

    /// Whether any pattern of `patterns` matches the name or the id of `named`.
    static func allows(_ patterns: [GlobPattern], _ named: ContentName) -> Bool {
        patterns.contains { $0.matches(named.name) || (named.id.map($0.matches) ?? false) }
    }
}
