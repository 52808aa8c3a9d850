import Freshet
import Testing

/// Validation of pass-through requests: families, query splitting, refused paths.
@Suite struct PassThroughRequestTests {
    @Test func familiesAndNormalisation() throws {
        let versioned = try PassThroughRequest(method: "get", path: "/api/3.24/sites/{site}/users?filter=siteRole:eq:Viewer&pageSize=5")
        #expect(versioned.method == "GET" && versioned.family == .versioned && versioned.path == "/api/3.24/sites/{site}/users")
        #expect(versioned.query == [QueryItem(name: "filter", value: "siteRole:eq:Viewer"), QueryItem(name: "pageSize", value: "5")])
        #expect(try PassThroughRequest(method: "GET", path: "/sites/{site}/projects").path == "sites/{site}/projects")
        #expect(try PassThroughRequest(method: "GET", path: "serverinfo").family == .versioned)
        #expect(try PassThroughRequest(method: "GET", path: "/api/{v}/sites/{site}/workbooks").family == .versioned)
        #expect(try PassThroughRequest(method: "POST", path: "/api/-/content/usage-stats").family == .versionless)
        #expect(try PassThroughRequest(method: "POST", path: "/api/metadata/graphql").family == .metadata)
    }

    @Test(arguments: [
        ("GET", "https://evil.example.com/api/3.24/sites"), ("GET", "//evil.example.com/x"), ("GET", "/api/3.24/../../etc"),
        ("POST", "/api/3.24/auth/signout"), ("POST", "auth/signin"), ("GET", "/api/latest/sites"), ("GET", ""), ("TRACE", "serverinfo"),
        ("GET", "/api/-"),
    ])
    func refused(method: String, path: String) {
        #expect(throws: AccessError.self) { _ = try PassThroughRequest(method: method, path: path) }
    }
}
