/// Tableau's paging echo.
public struct Pagination: Sendable, Equatable {
    public var pageNumber: Int
    public var pageSize: Int
    public var totalAvailable: Int

    init(json: JSONValue?, fallbackCount: Int) {
        pageNumber = json?["pageNumber"]?.int ?? 1
        pageSize = json?["pageSize"]?.int ?? fallbackCount
        totalAvailable = json?["totalAvailable"]?.int ?? fallbackCount
    }

    /// Whether pages after this one hold more items.
    public var hasMore: Bool { pageNumber * pageSize < totalAvailable }
}

/// One page of a Tableau list.
public struct Page<Item: Sendable>: Sendable {
    public var items: [Item]
    public var pagination: Pagination
}
