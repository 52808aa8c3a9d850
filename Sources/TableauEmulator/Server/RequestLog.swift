import Foundation
import Synchronization

/// One request the emulator answered, as `GET /_emulator/requests` returns it.
public struct RecordedRequest: Codable, Sendable, Equatable {
    public var method: String
    public var path: String
    public var query: String
    public var status: Int
    /// When the request arrived, ISO-8601 with milliseconds.
    public var time: String

    public init(method: String, path: String, query: String, status: Int, time: String) {
        self.method = method
        self.path = path
        self.query = query
        self.status = status
        self.time = time
    }
}

/// A bounded, thread-safe log of answered requests.
final class RequestLog: Sendable {
    private struct Storage {
        var entries: [RecordedRequest] = []
        var dropped = 0
    }

    private let storage = Mutex(Storage())
    private let limit: Int

    init(limit: Int) {
        self.limit = max(1, limit)
    }

    func append(_ entry: RecordedRequest) {
        storage.withLock { storage in
            storage.entries.append(entry)
            if storage.entries.count > limit {
                let excess = storage.entries.count - limit
                storage.entries.removeFirst(excess)
                storage.dropped += excess
            }
        }
    }

    func snapshot() -> [RecordedRequest] {
        storage.withLock { $0.entries }
    }

    func clear() {
        storage.withLock { $0 = Storage() }
    }

    /// ISO-8601 UTC with microseconds: latency measures read request times to well under a millisecond.
    static func timestamp(_ date: Date) -> String {
        let microseconds = Int((date.timeIntervalSince1970 * 1_000_000).rounded(.down)) % 1_000_000
        let base = TableauDate.format(date)
        return String(base.dropLast()) + "." + String(format: "%06d", microseconds) + "Z"
    }
}
