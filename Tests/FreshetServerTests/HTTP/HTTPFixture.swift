import Foundation
import Freshet
import FreshetServer
import Hummingbird
import HummingbirdTesting
import NIOCore
import NIOFoundationEssentialsCompat
import Testing

/// A server on its own temporary data directory with an admin token, tested in process
/// through HummingbirdTesting's router framework.
struct HTTPFixture: Sendable {
    let data = DemoDataDirectory()
    let runtime: FreshetRuntime
    let server: FreshetHTTPServer
    let adminToken: String

    init() async throws {
        runtime = try data.runtime()
        server = FreshetHTTPServer(api: FreshetAPI(runtime: runtime, metrics: PrometheusMetrics()))
        adminToken = try #require(try await runtime.tokens.createInitialAdminIfNone()).secret
    }

    /// Runs `body` against the router, then removes the data directory.
    static func test<T: Sendable>(_ body: @Sendable (HTTPFixture, any TestClientProtocol) async throws -> T) async throws -> T {
        let fixture = try await HTTPFixture()
        defer { fixture.data.remove() }
        let app = Application(router: fixture.server.router())
        return try await app.test(.router) { client in try await body(fixture, client) }
    }

    /// A new token with these scopes and allow-list; returns its text.
    func token(_ name: String = "t-\(UUID().uuidString.prefix(6))", _ scopes: Set<TokenScope>, allow: TokenAllowList = TokenAllowList()) async throws -> String {
        try await runtime.tokens.create(name: name, scopes: scopes, allowList: allow, actor: "test").secret
    }

    /// Adds connection `name` directly (no HTTP) with a PAT secret.
    func addConnection(_ name: String, secret: String = "pat-secret-value-1234") async throws -> ConnectionView {
        try await runtime.connections.add(
            ConnectionDraft(name: name, serverURL: "https://tableau.example.com/", siteContentUrl: "finance", patName: "freshet-pat", patSecret: secret),
            actor: "test")
    }
}

extension TestClientProtocol {
    /// Sends a request with an optional bearer token and raw body.
    func call(_ method: HTTPRequest.Method, _ uri: String, token: String? = nil, body: String? = nil, contentType: String = "application/json")
        async throws -> TestResponse
    {
        var headers: HTTPFields = [:]
        if let token { headers[.authorization] = "Bearer \(token)" }
        if body != nil { headers[.contentType] = contentType }
        return try await checkedExecute(uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) })
    }

    /// Sends the request and records an issue for every way the answer disagrees with
    /// openapi.yaml (status, content type, body schema): every router test checks the document.
    func checkedExecute(
        uri: String, method: HTTPRequest.Method, headers: HTTPFields = [:], body: ByteBuffer? = nil,
        against validator: OpenAPIResponseValidator = .shared
    ) async throws -> TestResponse {
        let response = try await execute(uri: uri, method: method, headers: headers, body: body)
        let violations = validator.violations(
            method: method.rawValue, uri: uri, status: Int(response.status.code), contentType: response.headers[.contentType], body: Data(buffer: response.body))
        for violation in violations { Issue.record(Comment(rawValue: violation)) }
        return response
    }
}

extension TestResponse {
    var text: String { String(buffer: body) }

    /// The body as a JSON object (empty when it is not one).
    var object: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(buffer: body))) as? [String: Any] ?? [:]
    }

    var isProblem: Bool { headers[.contentType] == "application/problem+json" }
}
