public import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// One HTTP exchange as the client needs it.
public struct TransportRequest: Sendable {
    public var method: String
    public var url: String
    public var headers: [(String, String)]
    public var body: [UInt8]?

    public init(method: String, url: String, headers: [(String, String)] = [], body: [UInt8]? = nil) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }
}

/// An HTTP answer.
public struct TransportResponse: Sendable {
    public var status: Int
    public var headers: [(String, String)]
    public var body: [UInt8]

    public init(status: Int, headers: [(String, String)] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// A header value, matched case-insensitively.
    public func header(_ name: String) -> String? {
        headers.first { $0.0.lowercased() == name.lowercased() }?.1
    }
}

/// How requests reach Tableau. ``AsyncHTTPClientTransport`` in production; tests may script one.
public protocol TableauTransport: Sendable {
    /// Sends `request`; throws only when no HTTP answer arrived (connection, TLS, timeout).
    func send(_ request: TransportRequest, timeout: Duration) async throws -> TransportResponse
}

/// Why no answer arrived, for error mapping.
public struct TransportFailure: Error, Sendable {
    public enum Reason: Sendable { case unreachable, timedOut }
    public var reason: Reason
    public var message: String

    public init(_ reason: Reason, _ message: String) {
        self.reason = reason
        self.message = message
    }
}

/// The production transport, on AsyncHTTPClient.
public struct AsyncHTTPClientTransport: TableauTransport {
    let client: HTTPClient
    /// Largest answer read (Tableau lists of 1000 items stay well below it).
    let maxBodyBytes = 64 << 20

    /// A process-wide client that reports a refused or failed connection at once (instead of
    /// retrying it until the request deadline): ``RetryPolicy`` decides about retries.
    public static let sharedClient: HTTPClient = {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool.retryConnectionEstablishment = false
        // Room for every engine worker's call (at most 64, `FRESHET_ENGINE_WORKERS`) plus polls and
        // pass-through calls, so that no Tableau call waits for a connection of the pool.
        configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = 80
        configuration.timeout.connect = .seconds(15)
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }()

    public init(client: HTTPClient = AsyncHTTPClientTransport.sharedClient) {
        self.client = client
    }

    public func send(_ request: TransportRequest, timeout: Duration) async throws -> TransportResponse {
        var outgoing = HTTPClientRequest(url: request.url)
        outgoing.method = HTTPMethod(rawValue: request.method)
        for (name, value) in request.headers { outgoing.headers.add(name: name, value: value) }
        if let body = request.body { outgoing.body = .bytes(ByteBuffer(bytes: body)) }
        let nanoseconds = Int64(timeout.seconds * 1e9)
        do {
            let response = try await client.execute(outgoing, timeout: .nanoseconds(nanoseconds))
            let body = try await response.body.collect(upTo: maxBodyBytes)
            return TransportResponse(
                status: Int(response.status.code), headers: response.headers.map { ($0.name, $0.value) },
                body: Array(buffer: body)
            )
        } catch let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout || error == .connectTimeout {
            throw TransportFailure(.timedOut, "no answer within \(Int(timeout.seconds)) s")
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            throw TransportFailure(.unreachable, Self.describe(error))
        }
    }

    /// A short, secret-free description of a connection failure.
    static func describe(_ error: any Error) -> String {
        let text = String(describing: error)
        if text.contains("connectionRefused") || text.contains("Connection refused") { return "connection refused" }
        if text.contains("remoteConnectionClosed") || text.contains("Connection reset") { return "connection closed by the server" }
        if text.contains("NXDOMAIN") || text.contains("getaddrinfo") || text.contains("lookup") { return "host name not found" }
        if text.contains("SSL") || text.contains("TLS") || text.contains("certificate") { return "TLS handshake failed" }
        return String(text.prefix(120))
    }
}
