import Foundation
import FreshetServer
import HTTPTypes
import HummingbirdTesting
import NIOCore
import ServiceLifecycle
import Testing

/// Runs `server` on 127.0.0.1, port 0, while `body` runs with the port it bound; then stops it.
func withSocketServer<T: Sendable>(_ server: FreshetHTTPServer, _ body: @Sendable (Int) async throws -> T) async throws -> T {
    let (ports, continuation) = AsyncStream<Int>.makeStream()
    let app = server.application(host: "127.0.0.1", port: 0) { port in continuation.yield(port) }
    return try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { try await app.run() }
        var iterator = ports.makeAsyncIterator()
        let port = try #require(await iterator.next())
        defer { group.cancelAll() }
        return try await body(port)
    }
}

/// One request over a real socket to 127.0.0.1:`port`, with an optional bearer token and JSON
/// body; the answer's status, JSON object (empty when not JSON) and text.
func socketCall(
    port: Int, _ method: HTTPRequest.Method, _ path: String, token: String? = nil, body: String? = nil
) async throws -> (status: HTTPResponse.Status, object: [String: Any], text: String) {
    let client = TestClient(host: "127.0.0.1", port: port, configuration: .init(timeout: .seconds(60)))
    client.connect()
    defer { Task { try? await client.shutdown() } }
    var headers = HTTPFields()
    if let token { headers[.authorization] = "Bearer \(token)" }
    if body != nil { headers[.contentType] = "application/json" }
    let response = try await client.execute(
        TestClient.Request(path, method: method, authority: "127.0.0.1", headers: headers, body: body.map { ByteBuffer(string: $0) }))
    let text = String(buffer: response.body ?? ByteBuffer())
    // Live-server tests check every answer against openapi.yaml as the router tests do.
    let violations = OpenAPIResponseValidator.shared.violations(
        method: method.rawValue, uri: path, status: Int(response.status.code), contentType: response.headers[.contentType], body: Data(text.utf8))
    for violation in violations { Issue.record(Comment(rawValue: violation)) }
    return (response.status, (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:], text)
}
