/// What `GET serverinfo` reports.
public struct ServerInfo: Sendable, Equatable {
    public var productVersion: String
    public var build: String
    public var restApiVersion: String

    init?(json: JSONValue) {
        guard let info = json["serverInfo"], let rest = info["restApiVersion"]?.string ?? info.at("restApiVersion.value")?.string else { return nil }
        restApiVersion = rest
        let product = info["productVersion"]
        productVersion = product?["value"]?.string ?? product?.string ?? ""
        build = product?["build"]?.string ?? ""
    }
}

/// `GET sessions/current`: who and where the session is.
public struct CurrentSession: Sendable, Equatable {
    public var siteId: String
    public var siteName: String
    public var siteContentUrl: String
    public var userId: String
    public var userName: String
    public var siteRole: String

    init?(json: JSONValue) {
        guard let session = json["session"], let siteId = session.at("site.id")?.string else { return nil }
        self.siteId = siteId
        siteName = session.at("site.name")?.string ?? ""
        siteContentUrl = session.at("site.contentUrl")?.string ?? ""
        userId = session.at("user.id")?.string ?? ""
        userName = session.at("user.name")?.string ?? ""
        siteRole = session.at("user.siteRole")?.string ?? ""
    }
}
