import Foundation
import Freshet
import Hummingbird
import Synchronization

/// Small in-memory caches for the API's hottest paths: authenticated tokens (a few seconds, so
/// that a revocation takes effect within ``TokenCache/lifetime``) and the JSON of ended runs
/// (an ended run never changes).
public final class HotPathCaches: Sendable {
    /// Tokens by hash of their secret.
    let tokens = TokenCache()
    /// Rendered `RunView` JSON of ended runs, by run id.
    let endedRuns = EndedRunCache()

    public init() {}
}

/// Authenticated tokens by secret hash, for ``lifetime`` seconds.
final class TokenCache: Sendable {
    /// How long a cached token is trusted without reading the store (revocations lag by at most this).
    static let lifetime: TimeInterval = 2
    private let entries = Mutex<[String: (token: APIToken, readAt: Date)]>([:])

    func token(hash: String, now: Date) -> APIToken? {
        entries.withLock { entries in
            guard let entry = entries[hash], now.timeIntervalSince(entry.readAt) < Self.lifetime else { return nil }
            return entry.token
        }
    }

    func removeAll() {
        entries.withLock { $0.removeAll() }
    }

    func store(_ token: APIToken, hash: String, now: Date) {
        entries.withLock { entries in
            if entries.count > 1000 { entries.removeAll() }
            entries[hash] = (token, now)
        }
    }
}

/// The JSON of ended runs, which never change.
final class EndedRunCache: Sendable {
    private let entries = Mutex<[String: ByteBuffer]>([:])

    func json(id: String) -> ByteBuffer? {
        entries.withLock { $0[id] }
    }

    func store(_ json: ByteBuffer, id: String) {
        entries.withLock { entries in
            if entries.count > 10_000 { entries.removeAll() }
            entries[id] = json
        }
    }
}
