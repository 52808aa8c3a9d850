import Foundation

/// A data quality warning on a data source, table, database or flow (REST "Metadata Methods").
struct QualityWarning: Sendable {
    /// Warning types Tableau accepts in `dataQualityWarning/@type`.
    static let types: Set<String> = ["WARNING", "DEPRECATED", "STALE", "SENSITIVE_DATA", "MAINTENANCE"]
    /// Content types accepted in `dataQualityWarnings/{contentType}/{contentId}` (lower case).
    static let contentTypes: Set<String> = ["datasource", "table", "database", "flow", "virtualconnection"]

    var id: String
    /// Lower-case content type from the path (`datasource`, `table`…).
    var contentType: String
    var contentId: String
    var type: String
    var message: String
    var isActive: Bool
    var isSevere: Bool
    var ownerId: String
    var ownerDisplayName: String
    var createdAt: Date
    var updatedAt: Date
}
