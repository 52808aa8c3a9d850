import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import NIOEmbedded
import NIOHTTPTypes
import Testing

@testable import FreshetServer

#if canImport(Glibc)
    import Glibc
#endif

/// Issue 19, observed defect 1: slow clients must not hold connections open indefinitely, and
/// one client address cannot take every connection.
@Suite struct SlowClientTests {
    let limits = ConnectionLimits(
        headerTimeout: .seconds(1), bodyTimeout: .seconds(2), idleTimeout: .seconds(3), maxConnectionsPerAddress: 2, maxConnections: 100)

    func connected(_ handlers: [any ChannelHandler], address: String = "10.0.0.1") throws -> EmbeddedChannel {
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandlers(handlers)
        try channel.connect(to: SocketAddress(ipAddress: address, port: 40000)).wait()
        return channel
    }

    @Test func aRequestHeadThatNeverCompletesIsClosedAfterTheHeaderTimeout() throws {
        let channel = try connected([RequestDeadlineHandler(limits: limits)])
        channel.embeddedEventLoop.advanceTime(by: .milliseconds(900))
        #expect(channel.isActive)
        channel.embeddedEventLoop.advanceTime(by: .milliseconds(200))
        #expect(!channel.isActive)
    }

    @Test func aBodyThatStopsComingIsClosedAfterTheBodyTimeout() throws {
        let channel = try connected([RequestDeadlineHandler(limits: limits)])
        try channel.writeInbound(HTTPRequestPart.head(HTTPRequest(method: .post, scheme: nil, authority: nil, path: "/api/v1/runs")))
        try channel.writeInbound(HTTPRequestPart.body(ByteBuffer(string: "{")))
        channel.embeddedEventLoop.advanceTime(by: .milliseconds(1900))
        #expect(channel.isActive)
        channel.embeddedEventLoop.advanceTime(by: .milliseconds(200))
        #expect(!channel.isActive)
    }

    @Test func aRequestBeingHandledIsNeverCutAndIdleConnectionsCloseAfterTheIdleTimeout() throws {
        let channel = try connected([RequestDeadlineHandler(limits: limits)])
        try channel.writeInbound(HTTPRequestPart.head(HTTPRequest(method: .get, scheme: nil, authority: nil, path: "/api/v1/runs/x")))
        try channel.writeInbound(HTTPRequestPart.end(nil))
        channel.embeddedEventLoop.advanceTime(by: .seconds(60))  // a long poll
        #expect(channel.isActive)
        try channel.writeOutbound(HTTPResponsePart.head(HTTPResponse(status: .ok)))
        try channel.writeOutbound(HTTPResponsePart.end(nil))
        channel.embeddedEventLoop.advanceTime(by: .milliseconds(2900))
        #expect(channel.isActive)
        channel.embeddedEventLoop.advanceTime(by: .milliseconds(200))
        #expect(!channel.isActive)
    }

    @Test func oneAddressHoldsAtMostItsLimitOthersAreNotAffected() throws {
        let registry = ConnectionsPerAddress(limit: 2)
        let first = try connected([ConnectionsPerAddressHandler(registry: registry)])
        let second = try connected([ConnectionsPerAddressHandler(registry: registry)])
        let third = try connected([ConnectionsPerAddressHandler(registry: registry)])
        #expect(first.isActive && second.isActive && !third.isActive)
        let other = try connected([ConnectionsPerAddressHandler(registry: registry)], address: "10.0.0.2")
        #expect(other.isActive)
        _ = try first.close().wait()
        #expect(registry.count("10.0.0.1") == 1)
        #expect(try connected([ConnectionsPerAddressHandler(registry: registry)]).isActive)
    }

    /// End to end on a live server: a head announced with a 900 KB body of which 1 byte is sent,
    /// and a head that never completes, are both closed by the server.
    @Test func aLiveServerClosesSlowClients() async throws {
        let fixture = try await HTTPFixture()
        defer { fixture.data.remove() }
        let app = fixture.server.application(host: "127.0.0.1", port: 0, limits: limits)
        try await app.test(.live) { client in
            let port = try #require(client.port)
            let slowHead = try RawSocket(port: port)
            try slowHead.send("GET /health HTTP/1.1\r\nHost: x\r\n")
            #expect(slowHead.readUntilClosed(failAfterSeconds: 15) != nil)
            let slowBody = try RawSocket(port: port)
            try slowBody.send("POST /api/v1/connections HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \(fixture.adminToken)\r\nContent-Type: application/json\r\nContent-Length: 900000\r\n\r\n{")
            #expect(slowBody.readUntilClosed(failAfterSeconds: 15) != nil)
            // Other clients are still served (a new connection: the test client's own idle one was closed too).
            let healthy = try RawSocket(port: port)
            try healthy.send("GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            #expect(healthy.readUntilClosed(failAfterSeconds: 15)?.hasPrefix("HTTP/1.1 200") == true)
        }
    }
}

/// A blocking TCP client for sending partial requests.
final class RawSocket {
    let descriptor: Int32

    init(port: Int) throws {
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard result == 0 else { throw POSIXError(.ECONNREFUSED) }
    }

    deinit { close(descriptor) }

    func send(_ text: String) throws {
        let bytes = Array(text.utf8)
        guard Glibc.send(descriptor, bytes, bytes.count, Int32(MSG_NOSIGNAL)) == bytes.count else { throw POSIXError(.EPIPE) }
    }

    /// Everything received until the server closed the connection; nil when it was still open
    /// after `failAfterSeconds` (a safety net, not a wait for the effect).
    func readUntilClosed(failAfterSeconds seconds: Int) -> String? {
        var timeout = timeval(tv_sec: seconds, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = recv(descriptor, &buffer, buffer.count, 0)
            if count == 0 { return String(decoding: received, as: UTF8.self) }
            if count < 0 { return errno == ECONNRESET ? String(decoding: received, as: UTF8.self) : nil }
            received += buffer[0..<count]
        }
    }
}
