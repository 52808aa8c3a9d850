public import Foundation

/// A data quality warning on a data source, table, database or flow (REST "Metadata Methods").
public struct QualityWarning: Sendable, Equatable {
    public var id: String
    /// `DATASOURCE`, `TABLE`… as Tableau answers it.
    public var contentType: String
    public var contentId: String
    /// `WARNING`, `DEPRECATED`, `STALE`, `SENSITIVE_DATA` or `MAINTENANCE`.
    public var type: String
    public var message: String
    public var isActive: Bool
    public var isSevere: Bool
    public var ownerId: String?
    public var createdAt: Date?

    init?(json: JSONValue) {
        guard let id = json["id"]?.string else { return nil }
        self.id = id
        contentType = json["contentType"]?.string ?? ""
        contentId = json["contentId"]?.string ?? ""
        type = json["type"]?.string ?? ""
        message = json["message"]?.string ?? ""
        isActive = json["isActive"]?.bool ?? true
        isSevere = json["isSevere"]?.bool ?? false
        ownerId = json.at("owner.id")?.string
        createdAt = json["createdAt"]?.date
    }
}
