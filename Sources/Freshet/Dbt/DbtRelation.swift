import Foundation

/// dbt's rendered relation names (`"warehouse"."public"."orders"`, `` `db`.`schema`.`t` ``,
/// `[db].[schema].[t]`, `warehouse.public.orders`) as Tableau lineage tables.
package enum DbtRelation {
    /// `database.schema.table`, without the adapter's quoting; nil unless it has exactly three parts.
    package static func table(_ relation: String) -> TableName? {
        var parts: [String] = []
        var current = ""
        var closing: Character?
        for character in relation.trimmingCharacters(in: .whitespaces) {
            if let close = closing {
                if character == close { closing = nil } else { current.append(character) }
            } else if character == "\"" || character == "`" {
                closing = character
            } else if character == "[" {
                closing = "]"
            } else if character == "." {
                parts.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        parts.append(current)
        guard parts.count == 3 else { return nil }
        return TableName.parts(parts[0], parts[1], parts[2])
    }
}
