import Foundation
import Freshet
@testable import FreshetServer
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import TableauEmulator
import Testing

/// The HTTP server in process with the demo emulator behind connection "demo", and the
/// access-event secret given to the routes directly (no process environment, so tests stay parallel).
struct AccessHTTPFixture: Sendable {
    static let secret = "0123456789abcdef-http-test-secret"
    static let adminPAT = ("freshet-admin", "demo-admin-pat-secret")
    static let analystPAT = ("freshet-analyst", "demo-analyst-pat-secret")

    let http: HTTPFixture
    let emulator: RunningEmulator

    var runtime: FreshetRuntime { http.runtime }

    /// Runs `body` against a router whose "demo" connection uses `pat`, and whose signed
    /// events are checked against `secret` (none: signed events are not enabled).
    static func test<T: Sendable>(
        pat: (String, String) = adminPAT, secret: String? = AccessHTTPFixture.secret,
        _ body: @Sendable (AccessHTTPFixture, any TestClientProtocol) async throws -> T
    ) async throws -> T {
        try await withEmulator(seed: try DemoSeed.seed()) { emulator in
            let http = try await HTTPFixture()
            defer { http.data.remove() }
            _ = try await http.runtime.connections.add(
                ConnectionDraft(name: "demo", serverURL: emulator.baseURL, patName: pat.0, patSecret: pat.1), actor: "test")
            let environment = secret.map { [FreshetRuntime.accessEventSecretVariable: $0] } ?? [:]
            let routes: [any APIRouteCollection] = FreshetHTTPServer.apiRoutes.map {
                $0 is AccessRoutes ? AccessRoutes(environment: { environment }) : $0
            }
            let app = Application(router: http.server.router(apiRoutes: routes))
            let fixture = AccessHTTPFixture(http: http, emulator: emulator)
            return try await app.test(.router) { client in try await body(fixture, client) }
        }
    }

    /// A token with these scopes; returns its text.
    func token(_ name: String, _ scopes: Set<TokenScope>) async throws -> String {
        try await http.token(name, scopes)
    }

    /// Role changes the emulator received (PUT …/users/{id}).
    var roleChanges: Int {
        emulator.state.recordedRequests().filter { $0.method == "PUT" && $0.path.contains("/users/") }.count
    }

    /// An access event's JSON body.
    static func event(_ type: String, _ user: String, _ role: String, id: String = UUID().uuidString, connection: String = "demo") -> String {
        #"{"eventId":"\#(id)","type":"\#(type)","connection":"\#(connection)","user":"\#(user)","role":"\#(role)"}"#
    }
}

extension TestClientProtocol {
    /// POSTs `body` to /api/v1/access-events signed with `secret` at `timestamp` (default: now);
    /// `signature` replaces the computed one.
    func signedEvent(
        _ body: String, secret: String = AccessHTTPFixture.secret, timestamp: Int = Int(Date().timeIntervalSince1970),
        signature: String? = nil, sendTimestamp: Bool = true, sendSignature: Bool = true, contentType: String = "application/json"
    ) async throws -> TestResponse {
        var headers: HTTPFields = [.contentType: contentType]
        if sendTimestamp { headers[HTTPField.Name("X-Freshet-Timestamp")!] = String(timestamp) }
        if sendSignature {
            headers[HTTPField.Name("X-Freshet-Signature")!] =
                signature ?? AccessEventSignature.sign(body: Array(body.utf8), timestamp: timestamp, secret: secret)
        }
        return try await execute(uri: "/api/v1/access-events", method: .post, headers: headers, body: ByteBuffer(string: body))
    }
}

extension TestResponse {
    /// The `event` member of an access-event problem document.
    var event: [String: Any] { object["event"] as? [String: Any] ?? [:] }
}
