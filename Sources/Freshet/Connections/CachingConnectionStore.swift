package import Foundation
import Synchronization

/// A ``ConnectionStore`` that remembers the connections it read for a short while, so that the
/// refresh path (every request names its connection; every trigger and poll needs its gateway)
/// does not read and decode the connection row each time.
///
/// Writes made through this store forget everything at once; a change made by another process
/// (another host, or the CLI beside a running server) is seen within ``lifetime``.
package final class CachingConnectionStore: ConnectionStore {
    /// How long a read connection is used without reading it again.
    package let lifetime: TimeInterval
    private let base: any ConnectionStore
    private let now: @Sendable () -> Date
    private let entries = Mutex<Entries>(Entries())

    private struct Entries {
        var byId: [String: (connection: StoredConnection, readAt: Date)] = [:]
        var idsByName: [String: String] = [:]
        /// Bumped by every write, so a read that began before a write never fills the cache.
        var generation = 0
    }

    /// Caches `base`'s connections for `lifetime` seconds of `now`.
    package init(_ base: any ConnectionStore, lifetime: TimeInterval = 1, now: @escaping @Sendable () -> Date = { Date() }) {
        self.base = base
        self.lifetime = lifetime
        self.now = now
    }

    package func connection(named name: String) async throws -> StoredConnection? {
        let at = now()
        let (cached, generation) = entries.withLock { entries in
            (entries.idsByName[name].flatMap { entries.byId[$0] }.flatMap { fresh($0, at: at) }.flatMap { $0.connection.name == name ? $0 : nil }, entries.generation)
        }
        if let cached { return cached }
        let read = try await base.connection(named: name)
        remember(read, at: at, generation: generation)
        return read
    }

    package func connection(id: String) async throws -> StoredConnection? {
        let at = now()
        let (cached, generation) = entries.withLock { entries in (entries.byId[id].flatMap { fresh($0, at: at) }, entries.generation) }
        if let cached { return cached }
        let read = try await base.connection(id: id)
        remember(read, at: at, generation: generation)
        return read
    }

    package func insert(_ stored: StoredConnection) async throws {
        defer { forget() }
        try await base.insert(stored)
    }

    package func update(_ connection: Connection, sealedSecret: String?) async throws {
        defer { forget() }
        try await base.update(connection, sealedSecret: sealedSecret)
    }

    package func connections() async throws -> [StoredConnection] { try await base.connections() }

    package func delete(id: String) async throws -> Bool {
        defer { forget() }
        return try await base.delete(id: id)
    }

    package func resealAll(_ transform: @Sendable (String) throws -> String) async throws -> Int {
        defer { forget() }
        return try await base.resealAll(transform)
    }

    package func sealingKeyIds() async throws -> Set<String> { try await base.sealingKeyIds() }

    /// Forgets every connection read so far.
    package func forget() {
        entries.withLock { entries in
            entries.byId.removeAll()
            entries.idsByName.removeAll()
            entries.generation += 1
        }
    }

    private func fresh(_ entry: (connection: StoredConnection, readAt: Date), at: Date) -> StoredConnection? {
        at.timeIntervalSince(entry.readAt) < lifetime && at >= entry.readAt ? entry.connection : nil
    }

    private func remember(_ read: StoredConnection?, at: Date, generation: Int) {
        guard let read else { return }
        entries.withLock { entries in
            guard entries.generation == generation else { return }
            if let old = entries.byId[read.connection.id], old.connection.connection.name != read.connection.name {
                entries.idsByName[old.connection.connection.name] = nil
            }
            entries.byId[read.connection.id] = (read, at)
            entries.idsByName[read.connection.name] = read.connection.id
        }
    }
}
