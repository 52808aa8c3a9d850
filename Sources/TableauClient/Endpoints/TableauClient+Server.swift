extension TableauClient {
    /// `GET serverinfo` (no sign-in needed).
    public func serverInfo() async throws(TableauError) -> ServerInfo {
        try await broker.fetchServerInfo(version: try await broker.apiVersion())
    }

    /// `GET sessions/current`.
    public func currentSession() async throws(TableauError) -> CurrentSession {
        let json = try await sendJSON("GET", .versioned("sessions/current"))
        guard let session = CurrentSession(json: json) else { throw .invalidResponse("sessions/current carried no session") }
        return session
    }

    /// `GET sites` (Tableau Server; Tableau Cloud refuses it with 403069).
    public func sites(_ options: ListOptions = ListOptions()) -> PagedSequence<Site> {
        pages(.versioned("sites"), options: options, container: ("sites", "site"), parse: Site.init(json:))
    }

    /// The site this session is signed in to.
    public func currentSite() async throws(TableauError) -> Site {
        let session = try await broker.session()
        let json = try await sendJSON("GET", .versioned("sites/\(session.siteId)"))
        guard let site = json["site"].flatMap(Site.init(json:)) else { throw .invalidResponse("site answer carried no site") }
        return site
    }

    /// `GET projects`.
    public func projects(_ options: ListOptions = ListOptions()) -> PagedSequence<Project> {
        pages(.site("projects"), options: options, container: ("projects", "project"), parse: Project.init(json:))
    }

    /// A paged list call.
    func pages<Item: Sendable>(
        _ path: Path, options: ListOptions, container: (String, String), parse: @escaping @Sendable (JSONValue) -> Item?
    ) -> PagedSequence<Item> {
        PagedSequence(
            fetch: { [self] (page: Int) async throws(TableauError) -> Page<Item> in
                try await self.page(path, options: options, page: page, container: container, parse: parse)
            },
            firstPage: options.pageNumber
        )
    }

    /// One page of a list call.
    func page<Item: Sendable>(
        _ path: Path, options: ListOptions, page: Int, container: (String, String), parse: (JSONValue) -> Item?
    ) async throws(TableauError) -> Page<Item> {
        let json = try await sendJSON("GET", path, query: options.query(page: page))
        let items = json.list(container.0, container.1).compactMap(parse)
        return Page(items: items, pagination: Pagination(json: json["pagination"], fallbackCount: items.count))
    }
}
