public import Foundation

/// Filtering, sorting, field selection and page size for classic list calls.
///
/// ```swift
/// var options = ListOptions(pageSize: 500)
/// options.filter(.name, .eq, "Sales")
/// options.sort("createdAt", ascending: false)
/// ```
public struct ListOptions: Sendable {
    /// Filter operators Tableau supports.
    public enum Operator: String, Sendable {
        case eq, cieq, `in`, gt, gte, lt, lte, has
    }

    /// Field names used by most filters.
    public enum Field: String, Sendable {
        case name, projectName, ownerName, createdAt, updatedAt, tags, hasExtracts, siteRole, lastLogin, status, jobType, email
    }

    public var pageSize: Int
    /// First page to fetch (1-based).
    public var pageNumber: Int
    public private(set) var filters: [String] = []
    public private(set) var sorts: [String] = []
    /// `fields=` value, e.g. "_all_" or "id,name".
    public var fields: String?

    public init(pageSize: Int = 100, pageNumber: Int = 1, fields: String? = nil) {
        self.pageSize = max(1, min(pageSize, 1000))
        self.pageNumber = max(1, pageNumber)
        self.fields = fields
    }

    /// Adds `field:op:value`; values may not contain commas (Tableau's rule), except `in` lists.
    public mutating func filter(_ field: String, _ op: Operator, _ value: String) {
        filters.append("\(field):\(op.rawValue):\(value)")
    }

    public mutating func filter(_ field: Field, _ op: Operator, _ value: String) {
        filter(field.rawValue, op, value)
    }

    /// Adds `field:op:date` with the date as Tableau writes it (`2026-01-01T00:00:00Z`).
    public mutating func filter(_ field: String, _ op: Operator, _ date: Date) {
        filter(field, op, TableauTimestamp.format(date))
    }

    /// Adds `field:in:[a,b]`.
    public mutating func filter(_ field: String, in values: [String]) {
        filters.append("\(field):in:[\(values.joined(separator: ","))]")
    }

    /// Whether `value` can be sent in a `filter=` expression (Tableau's syntax has no escape for
    /// `,`, which separates expressions, or `&`).
    public static func canFilter(on value: String) -> Bool {
        !value.contains(",") && !value.contains("&")
    }

    public mutating func sort(_ field: String, ascending: Bool = true) {
        sorts.append("\(field):\(ascending ? "asc" : "desc")")
    }

    func query(page: Int) -> [(String, String)] {
        var query = [("pageSize", String(pageSize)), ("pageNumber", String(page))]
        if !filters.isEmpty { query.append(("filter", filters.joined(separator: ","))) }
        if !sorts.isEmpty { query.append(("sort", sorts.joined(separator: ","))) }
        if let fields { query.append(("fields", fields)) }
        return query
    }
}

/// Walks every page of a Tableau list, fetching the next page only when needed.
public struct PagedSequence<Item: Sendable>: AsyncSequence, Sendable {
    public typealias Element = Item
    public typealias Failure = TableauError
    let fetch: @Sendable (Int) async throws(TableauError) -> Page<Item>
    let firstPage: Int

    public struct AsyncIterator: AsyncIteratorProtocol {
        let fetch: @Sendable (Int) async throws(TableauError) -> Page<Item>
        var nextPage: Int?
        var buffer: [Item] = []

        public mutating func next() async throws(TableauError) -> Item? {
            try await next(isolation: nil)
        }

        public mutating func next(isolation actor: isolated (any Actor)?) async throws(TableauError) -> Item? {
            while buffer.isEmpty {
                guard let page = nextPage else { return nil }
                let result = try await fetch(page)
                buffer = result.items.reversed()
                nextPage = result.pagination.hasMore && !result.items.isEmpty ? page + 1 : nil
            }
            return buffer.popLast()
        }
    }

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(fetch: fetch, nextPage: firstPage)
    }

    /// Collects every item.
    public func collect() async throws(TableauError) -> [Item] {
        var items: [Item] = []
        var iterator = makeAsyncIterator()
        while let item = try await iterator.next() { items.append(item) }
        return items
    }
}
