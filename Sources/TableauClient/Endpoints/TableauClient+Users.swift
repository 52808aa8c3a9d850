extension TableauClient {
    /// Users of the site (site administrators only).
    public func users(_ options: ListOptions = ListOptions()) -> PagedSequence<User> {
        pages(.site("users"), options: options, container: ("users", "user")) { User(json: $0) }
    }

    /// One page of users.
    public func usersPage(_ options: ListOptions = ListOptions()) async throws(TableauError) -> Page<User> {
        try await page(.site("users"), options: options, page: options.pageNumber, container: ("users", "user")) { User(json: $0) }
    }

    /// The user named `name` (exact match), if any.
    public func user(named name: String) async throws(TableauError) -> User? {
        var options = ListOptions(pageSize: 10)
        options.filter(.name, .eq, name)
        return try await usersPage(options).items.first { $0.name == name }
    }

    /// One user by id.
    public func user(id: String) async throws(TableauError) -> User {
        let json = try await sendJSON("GET", .site("users/\(id)"))
        guard let user = json["user"].flatMap({ User(json: $0) }) else { throw .invalidResponse("the answer carried no user") }
        return user
    }

    /// Sets a user's site role; returns the updated user.
    public func updateSiteRole(userId: String, to role: String) async throws(TableauError) -> User {
        let json = try await sendJSON("PUT", .site("users/\(userId)"), json: ["user": ["siteRole": role]])
        guard let user = json["user"].flatMap({ User(json: $0, id: userId) }) else { throw .invalidResponse("the answer carried no user") }
        return user
    }

    /// Adds a user to the site.
    public func addUser(name: String, siteRole: String, authSetting: String? = nil) async throws(TableauError) -> User {
        var fields: [String: String] = ["name": name, "siteRole": siteRole]
        if let authSetting { fields["authSetting"] = authSetting }
        let json = try await sendJSON("POST", .site("users"), json: ["user": fields])
        guard let user = json["user"].flatMap({ User(json: $0) }) else { throw .invalidResponse("the answer carried no user") }
        return user
    }

    /// Removes a user from the site (Tableau keeps a content owner, as Unlicensed, and answers 409).
    public func removeUser(id: String, mapAssetsTo: String? = nil) async throws(TableauError) {
        _ = try await send("DELETE", .site("users/\(id)"), query: mapAssetsTo.map { [("mapAssetsTo", $0)] } ?? [])
    }
}
