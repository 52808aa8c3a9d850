import Foundation

/// The Tableau webhook events Freshet registers, under both names Tableau has used: the
/// PascalCase `event` (2020.3 on) and the older `webhook-source-event-…` element name.
enum TableauWebhookEvent {
    /// Data source and workbook refreshes that succeeded or failed.
    static let registered = ["DatasourceRefreshSucceeded", "DatasourceRefreshFailed", "WorkbookRefreshSucceeded", "WorkbookRefreshFailed"]

    /// The PascalCase name of `name` given in either spelling ("webhook-source-event-datasource-refresh-succeeded"
    /// → "DatasourceRefreshSucceeded"), or nil when it is not one Freshet registers.
    static func canonical(_ name: String) -> String? {
        if registered.contains(name) { return name }
        let lower = name.lowercased()
        let prefix = "webhook-source-event-"
        guard lower.hasPrefix(prefix) else { return nil }
        let words = lower.dropFirst(prefix.count).split(separator: "-").map { $0.prefix(1).uppercased() + $0.dropFirst() }
        let joined = words.joined()
        return registered.contains(joined) ? joined : nil
    }

    /// What a delivery says: the event (canonical) and the item's Tableau id, or nil for a body that
    /// is not a refresh delivery (Tableau's "Test a webhook" sends an empty one).
    static func parse(_ body: [UInt8]) -> (event: String, itemId: String)? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any],
            let type = object["event_type"] as? String, let event = canonical(type),
            let itemId = (object["resource_luid"] as? String) ?? (object["resource_luid"] as? NSNumber)?.stringValue, !itemId.isEmpty
        else { return nil }
        return (event, itemId)
    }
}
