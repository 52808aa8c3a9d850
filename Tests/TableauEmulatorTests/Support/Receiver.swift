import Foundation
import Hummingbird

/// One POST a webhook receiver got.
struct ReceivedPost: Sendable {
    var path: String
    var body: String
    var userAgent: String?
    var contentType: String?
}

/// Runs a tiny Hummingbird server on 127.0.0.1, port 0, that records every POST, for the duration of `body`.
func withWebhookReceiver<T: Sendable>(
    _ body: @Sendable (_ port: Int, _ posts: AsyncStream<ReceivedPost>) async throws -> T
) async throws -> T {
    let (posts, postContinuation) = AsyncStream<ReceivedPost>.makeStream()
    let (ports, portContinuation) = AsyncStream<Int>.makeStream()
    let router = Router()
    router.post("**") { request, _ -> HTTPResponse.Status in
        let buffer = try await request.body.collect(upTo: 1 << 20)
        postContinuation.yield(
            ReceivedPost(
                path: request.uri.path, body: String(buffer: buffer), userAgent: request.headers[.userAgent],
                contentType: request.headers[.contentType]
            )
        )
        return .ok
    }
    let app = Application(
        router: router, configuration: ApplicationConfiguration(address: .hostname("127.0.0.1", port: 0)),
        onServerRunning: { channel in portContinuation.yield(channel.localAddress?.port ?? 0) }
    )
    return try await withThrowingTaskGroup(of: T?.self) { group in
        group.addTask {
            try await app.run()
            return nil
        }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else { throw CancellationError() }
        let result = try await body(port, posts)
        group.cancelAll()
        while let _ = try? await group.next() {}
        postContinuation.finish()
        return result
    }
}

struct TimedOut: Error, CustomStringConvertible {
    var seconds: Double
    var description: String { "nothing arrived within \(seconds) seconds" }
}

/// The next element of `stream`, waiting at most `seconds` (a bound on the wait, not a sleep before looking).
func next<Element: Sendable>(_ stream: AsyncStream<Element>, within seconds: Double) async throws -> Element {
    try await withThrowingTaskGroup(of: Element?.self) { group in
        group.addTask {
            var iterator = stream.makeAsyncIterator()
            return await iterator.next()
        }
        group.addTask {
            try await Task.sleep(for: .seconds(seconds))
            throw TimedOut(seconds: seconds)
        }
        defer { group.cancelAll() }
        guard let first = try await group.next(), let element = first else { throw TimedOut(seconds: seconds) }
        return element
    }
}
