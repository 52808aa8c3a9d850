import Foundation

/// A connection of a published data source or workbook (Query Data Source Connections).
struct ItemConnection: Sendable {
    var id: String
    /// Connection type (`postgres`, `snowflake`, `sqlproxy` for a workbook's published data source…).
    var type: String
    var serverAddress: String
    var serverPort: String
    var userName: String
    var embedPassword: Bool
    var queryTaggingEnabled: Bool
    /// The published data source a workbook's `sqlproxy` connection reads (id, name).
    var datasource: (id: String, name: String)?
}
