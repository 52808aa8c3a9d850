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

    /// Items whose name is exactly `name` (optionally in `project`). Tableau's `filter=` cannot
    /// carry a value holding `,` or `&`: such a name (or project) is matched here, over the
    /// listing narrowed by whichever of the two can be filtered.
    public func items(_ type: ContentType, named name: String, inProject project: String? = nil) async throws(TableauError) -> [ContentItem] {
        var options = ListOptions(pageSize: 1000)
        let nameFilters = ListOptions.canFilter(on: name)
        let projectFilters = project.map(ListOptions.canFilter(on:)) ?? true
        if nameFilters { options.filter(.name, .eq, name) }
        if let project, projectFilters { options.filter(.projectName, .eq, project) }
        let found = try await content(type, options).collect()
        guard !nameFilters || !projectFilters else { return found }
        return found.filter { $0.name == name && (project == nil || $0.projectName == project) }
    }

    /// "Refresh now" (Update Workbook Now / Update Data Source Now); returns the queued job.
    ///
    /// - Throws: ``TableauError`` with ``TableauError/isDuplicateRefresh`` when a refresh is already
    ///   queued or running (409093), ``TableauError/isNotRefreshable`` for live items.
    /// With `retryTransient` false the call is sent once: a lost answer is reported, not repeated
    /// (the job may exist; look for it with Query Jobs before triggering again).
    public func refresh(_ type: ContentType, id: String, incremental: Bool = false, retryTransient: Bool = true) async throws(TableauError) -> Job {
        let body: [String: Any] = incremental ? ["extractRefresh": ["incremental": "true"]] : [:]
        let response = try await send("POST", .site("\(type.pathSegment)/\(id)/refresh"), json: body, retry: retryTransient ? nil : RetryPolicy.none)
        let json = try Self.decode(response)
        guard let job = Job(json: json) else { throw .invalidResponse("the refresh answer carried no job") }
        return job
    }
}
