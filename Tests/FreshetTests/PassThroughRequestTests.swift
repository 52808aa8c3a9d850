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
        // Issue 19: spellings of sign-out that a check on the raw text let through.
        ("POST", "%61uth/signout"), ("POST", "auth;x=1/signout"), ("POST", "auth%2Fsignout"), ("POST", "/api/-/auth/signout"),
        ("POST", "/API/3.24/Auth/signin"), ("POST", "/api/3.24/%61uth/signin"), ("POST", "sites/%2e%2e/auth/signout"),
        ("GET", "sites/a%5Cb"), ("GET", "sites/%zz"),
    ])
    func refused(method: String, path: String) {
        #expect(throws: AccessError.self) { _ = try PassThroughRequest(method: method, path: path) }
    }

    /// The path sent is the one checked: decoded segments, re-encoded; parameters and case folded.
    @Test func thePathSentIsTheCanonicalOne() throws {
        #expect(try PassThroughRequest(method: "GET", path: "/API/3.24/sites;jsessionid=1/{site}/users").path == "/api/3.24/sites/{site}/users")
        #expect(try PassThroughRequest(method: "GET", path: "sites/{site}/projects/%41b%20c").path == "sites/{site}/projects/Ab%20c")
        #expect(try PassThroughRequest(method: "GET", path: "/api/-/search").family == .versionless)
    }

    @Test func refusalsNameTheirField() {
        #expect(throws: AccessError.invalidRequest("Method TRACE is not allowed; use one of GET, POST, PUT, PATCH, DELETE", field: "method")) {
            _ = try PassThroughRequest(method: "TRACE", path: "serverinfo")
        }
    }
}
