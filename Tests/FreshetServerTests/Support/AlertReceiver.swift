import Foundation
import Hummingbird
import Logging
import NIOCore
import Synchronization
import Testing

/// A local webhook receiver on 127.0.0.1, port 0: records every POST (headers and body) and
/// answers the statuses it is told to, in order (then 200). Deduplicates nothing: tests count.
final class AlertReceiver: Sendable {
    struct Received: Sendable {
        var headers: [String: String]
        var body: [UInt8]
        /// A header's value, its name matched case-insensitively.
        func header(_ name: String) -> String? { headers.first { $0.key.lowercased() == name.lowercased() }?.value }
        var json: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] ?? [:] }
    }

    private let state = Mutex<(received: [Received], script: [Int])>(([], []))

    /// The next answers, in order.
    func answer(_ statuses: [Int]) { state.withLock { $0.script += statuses } }

    var received: [Received] { state.withLock { $0.received } }

    /// Records `request`; returns the status to answer.
    func record(_ request: Received) -> Int {
        state.withLock { state in
            state.received.append(request)
            return state.script.isEmpty ? 200 : state.script.removeFirst()
        }
    }

    /// Runs the receiver while `body` runs with its URL (`http://127.0.0.1:PORT/hook`).
    func serve<T: Sendable>(_ body: @Sendable (String) async throws -> T) async throws -> T {
        let router = Router()
        router.post("hook") { request, _ -> Response in
            let bytes = try await request.body.collect(upTo: 1 << 20)
            var headers: [String: String] = [:]
            for field in request.headers { headers[field.name.canonicalName] = field.value }
            let status = self.record(Received(headers: headers, body: Array(bytes.readableBytesView)))
            return Response(status: .init(code: status))
        }
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in continuation.yield(channel.localAddress?.port ?? 0) },
            logger: Logger(label: "receiver", factory: { _ in SwiftLogNoOpLogHandler() }))
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await app.run() }
            var iterator = ports.makeAsyncIterator()
            let port = try #require(await iterator.next())
            defer { group.cancelAll() }
            return try await body("http://127.0.0.1:\(port)/hook")
        }
    }
}
