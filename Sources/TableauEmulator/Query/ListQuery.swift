import Foundation

/// The paging, filtering, sorting and field selection of a classic list request.
struct ListQuery: Sendable {
    var pageSize = 100
    var pageNumber = 1
    var filters: [FilterExpression] = []
    var sort: [(field: String, ascending: Bool)] = []
    /// Fields to keep, or nil for Tableau's default set.
    var fields: Set<String>?

    static let maximumPageSize = 1000

    init() {}

    /// Reads `pageSize`, `pageNumber`, `filter`, `sort` and `fields` from a query string.
    init(_ query: QueryString, fields allowed: Set<String>) throws(EmulatorError) {
        if let text = query["pageSize"] {
            guard let size = Int(text), size >= 1, size <= Self.maximumPageSize else {
                throw .badRequest("The page size '\(text)' is not valid. It must be an integer between 1 and 1000.")
            }
            pageSize = size
        }
        if let text = query["pageNumber"] {
            guard let number = Int(text), number >= 1 else {
                throw .badRequest("The page number '\(text)' is not valid. It must be a positive integer.")
            }
            pageNumber = number
        }
        if let text = query["filter"], !text.isEmpty {
            filters = try FilterExpression.parse(text, allowed: allowed)
        }
        if let text = query["sort"], !text.isEmpty {
            for term in text.split(separator: ",") {
                let parts = term.split(separator: ":").map(String.init)
                guard let field = parts.first, allowed.contains(field) else {
                    throw .badRequest("Sort field '\(parts.first ?? "")' is not supported for this resource.")
                }
                let direction = parts.count > 1 ? parts[1].lowercased() : "asc"
                guard direction == "asc" || direction == "desc" else {
                    throw .badRequest("Sort direction '\(direction)' is not valid. Use asc or desc.")
                }
                sort.append((field, direction == "asc"))
            }
        }
        if let text = query["fields"], !text.isEmpty {
            let requested = Set(text.split(separator: ",").map(String.init))
            if !requested.contains("_all_") && !requested.contains("_default_") { fields = requested }
        }
    }

    /// Filters, sorts and pages `items`; returns the page and the total before paging.
    func apply<Item: Queryable>(to items: [Item]) -> (page: [Item], total: Int) {
        var selected = filters.isEmpty ? items : items.filter { item in filters.allSatisfy { $0.matches(item) } }
        if !sort.isEmpty {
            selected.sort { lhs, rhs in
                for term in sort {
                    guard let a = lhs.field(term.field), let b = rhs.field(term.field) else { continue }
                    let order = FieldValue.compare(a, b)
                    if order != .orderedSame { return term.ascending ? order == .orderedAscending : order == .orderedDescending }
                }
                return false
            }
        }
        let start = (pageNumber - 1) * pageSize
        guard start < selected.count else { return ([], selected.count) }
        return (Array(selected[start..<min(start + pageSize, selected.count)]), selected.count)
    }

    /// `<pagination pageNumber pageSize totalAvailable/>`, numbers as strings as Tableau sends them.
    func pagination(total: Int) -> Element {
        Element("pagination", [
            Attribute("pageNumber", String(pageNumber)),
            Attribute("pageSize", String(pageSize)),
            Attribute("totalAvailable", String(total)),
        ])
    }

    /// Applies ``fields`` to a rendered item; `id` is always kept.
    func select(_ element: Element) -> Element {
        guard var fields else { return element }
        fields.insert("id")
        return element.selecting(fields)
    }
}
