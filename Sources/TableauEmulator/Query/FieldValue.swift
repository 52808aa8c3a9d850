import Foundation

/// A value of a filterable or sortable field of a Tableau item.
enum FieldValue: Sendable {
    case string(String)
    case strings([String])
    case bool(Bool)
    case date(Date)
    case int(Int)
}

/// An item whose fields `filter=` and `sort=` can read.
protocol Queryable: Sendable {
    /// The value of a field by its REST API name (`name`, `projectName`, `createdAt`…), or nil if
    /// the item has no such field.
    func field(_ name: String) -> FieldValue?
    /// Field names this item type accepts in filters and sorts.
    static var queryFields: Set<String> { get }
}

extension FieldValue {
    /// Orders two values of the same kind; mixed kinds compare as text.
    static func compare(_ lhs: FieldValue, _ rhs: FieldValue) -> ComparisonResult {
        switch (lhs, rhs) {
        case (.date(let a), .date(let b)): return a == b ? .orderedSame : (a < b ? .orderedAscending : .orderedDescending)
        case (.int(let a), .int(let b)): return a == b ? .orderedSame : (a < b ? .orderedAscending : .orderedDescending)
        default:
            let a = lhs.sortText, b = rhs.sortText
            return a == b ? .orderedSame : (a < b ? .orderedAscending : .orderedDescending)
        }
    }

    var sortText: String {
        switch self {
        case .string(let s): s.lowercased()
        case .strings(let list): list.joined(separator: ",").lowercased()
        case .bool(let b): b ? "true" : "false"
        case .date(let d): TableauDate.format(d)
        case .int(let i): String(i)
        }
    }
}
