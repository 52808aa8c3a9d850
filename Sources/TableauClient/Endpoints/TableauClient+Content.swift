extension TableauClient {
    /// Workbooks or data sources, walking every page.
    public func content(_ type: ContentType, _ options: ListOptions = ListOptions()) -> PagedSequence<ContentItem> {
        pages(.site(type.pathSegment), options: options, container: (type.pathSegment, type.rawValue)) { ContentItem(json: $0, type: type) }
    }

    /// One page of workbooks or data sources.
    public func contentPage(_ type: ContentType, _ options: ListOptions = ListOptions()) async throws(TableauError) -> Page<ContentItem> {
        try await page(.site(type.pathSegment), options: options, page: options.pageNumber, container: (type.pathSegment, type.rawValue)) {
            ContentItem(json: $0, type: type)
        }
    }

    /// All workbooks.
    public func workbooks(_ options: ListOptions = ListOptions()) -> PagedSequence<ContentItem> { content(.workbook, options) }

    /// All published data sources.
    public func dataSources(_ options: ListOptions = ListOptions()) -> PagedSequence<ContentItem> { content(.datasource, options) }

    /// One workbook or data source by id.
    public func item(_ type: ContentType, id: String) async throws(TableauError) -> ContentItem {
        let json = try await sendJSON("GET", .site("\(type.pathSegment)/\(id)"))
        guard let item = json[type.rawValue].flatMap({ ContentItem(json: $0, type: type) }) else {
            throw .invalidResponse("the answer carried no \(type.rawValue)")
        }
        return item
    }

    /// Items whose name is exactly `name` (optionally in `project`).
    public func items(_ type: ContentType, named name: String, inProject project: String? = nil) async throws(TableauError) -> [ContentItem] {
        var options = ListOptions(pageSize: 1000)
        options.filter(.name, .eq, name)
        if let project { options.filter(.projectName, .eq, project) }
        return try await content(type, options).collect()
    }

    /// "Refresh now" (Update Workbook Now / Update Data Source Now); returns the queued job.
    ///
    /// - Throws: ``TableauError`` with ``TableauError/isDuplicateRefresh`` when a refresh is already
    ///   queued or running (409093), ``TableauError/isNotRefreshable`` for live items.
    public func refresh(_ type: ContentType, id: String, incremental: Bool = false) async throws(TableauError) -> Job {
        let body: [String: Any] = incremental ? ["extractRefresh": ["incremental": "true"]] : [:]
        let json = try await sendJSON("POST", .site("\(type.pathSegment)/\(id)/refresh"), json: body)
        guard let job = Job(json: json) else { throw .invalidResponse("the refresh answer carried no job") }
        return job
    }
}
