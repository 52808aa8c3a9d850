import Foundation
import Freshet
import Hummingbird
import Synchronization

/// Small in-memory caches for the API's hottest paths: authenticated tokens and connection
/// names (a few seconds, so that a revocation or deletion made by another process takes effect
/// within ``TokenCache/lifetime``; this process clears them at once), the JSON of ended
/// runs (an ended run never changes) and the answers to repeated idempotency keys whose runs
/// all ended (the runs of a key never change once stored). See docs/decisions/0005-api-hot-paths.md.
package final class HotPathCaches: Sendable {
    /// Tokens by hash of their secret.
    let tokens = TokenCache()
    /// Connection ids and names by the name or id a request used.
    let connections = ConnectionNameCache()
    /// Rendered `RunView` JSON of ended runs, by run id.
    let endedRuns = EndedRunCache()
    /// Rendered answers of `POST /api/v1/runs` for a repeated idempotency key whose runs all ended.
    let endedAnswers = EndedAnswerCache()

    package init() {}
}

/// Authenticated tokens by secret hash, for ``lifetime`` seconds.
final class TokenCache: Sendable {
    /// How long a cached token or connection name is trusted without reading the store (changes
    /// made by another process lag by at most this).
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

/// The JSON of ended runs, which never change, with the run (to authorize each read).
final class EndedRunCache: Sendable {
    private let entries = Mutex<[String: (json: ByteBuffer, run: Run)]>([:])

    func entry(id: String) -> (json: ByteBuffer, run: Run)? {
        entries.withLock { $0[id] }
    }

    func store(_ json: ByteBuffer, run: Run) {
        entries.withLock { entries in
            if entries.count > 10_000 { entries.removeAll() }
            entries[run.id] = (json, run)
        }
    }
}

/// A connection's id and name by the name or id a request used, for ``TokenCache/lifetime``
/// seconds. Unknown names are not remembered, so a new connection is usable at once.
final class ConnectionNameCache: Sendable {
    private let entries = Mutex<[String: (id: String, name: String, readAt: Date)]>([:])

    func connection(_ nameOrId: String, now: Date) -> (id: String, name: String)? {
        entries.withLock { entries in
            guard let entry = entries[nameOrId], now.timeIntervalSince(entry.readAt) < TokenCache.lifetime else { return nil }
            return (entry.id, entry.name)
        }
    }

    func store(id: String, name: String, for nameOrId: String, now: Date) {
        entries.withLock { entries in
            if entries.count > 1000 { entries.removeAll() }
            entries[nameOrId] = (id, name, now)
        }
    }

    func removeAll() {
        entries.withLock { $0.removeAll() }
    }
}

/// Answers to a repeated idempotency key whose runs all ended, by connection id, key and the
/// request's fingerprint (the same key with another request misses, and is refused by the
/// engine), with the runs (to authorize each answer).
final class EndedAnswerCache: Sendable {
    private let entries = Mutex<[String: (json: ByteBuffer, runs: [Run])]>([:])

    func entry(connectionId: String, key: String, fingerprint: String) -> (json: ByteBuffer, runs: [Run])? {
        entries.withLock { $0[connectionId + "\u{0}" + key + "\u{0}" + fingerprint] }
    }

    func store(_ json: ByteBuffer, runs: [Run], connectionId: String, key: String, fingerprint: String) {
        entries.withLock { entries in
            if entries.count > 10_000 { entries.removeAll() }
            entries[connectionId + "\u{0}" + key + "\u{0}" + fingerprint] = (json, runs)
        }
    }
}
