import Synchronization
import TableauClient

/// A transport answering from a script, recording every request.
final class ScriptedTransport: TableauTransport {
    typealias Handler = @Sendable (TransportRequest) throws -> TransportResponse
    private let handler: Handler
    private let log = Mutex<[TransportRequest]>([])

    init(_ handler: @escaping Handler) {
        self.handler = handler
    }

    func send(_ request: TransportRequest, timeout: Duration) async throws -> TransportResponse {
        log.withLock { $0.append(request) }
        return try handler(request)
    }

    var requests: [TransportRequest] { log.withLock { $0 } }

    static func json(_ status: Int, _ body: String, headers: [(String, String)] = []) -> TransportResponse {
        TransportResponse(status: status, headers: headers + [("Content-Type", "application/json")], body: Array(body.utf8))
    }

    static let signIn = json(200, #"{"credentials":{"token":"tok-1","site":{"id":"site-1","contentUrl":""},"user":{"id":"user-1"}}}"#)
    static let serverInfo = json(200, #"{"serverInfo":{"productVersion":{"value":"2024.3.0","build":"x"},"restApiVersion":"3.24"}}"#)
}
