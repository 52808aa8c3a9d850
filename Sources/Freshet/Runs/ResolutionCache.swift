import Foundation

/// Remembers, for a few seconds, what a target resolved to on a connection — including a
/// resolution still in flight — so that a burst of requests for the same target (a pipeline
/// fan-out, retries) asks Tableau once, not once per request.
actor ResolutionCache {
    private let lifetime: TimeInterval
    private var entries: [String: (storedAt: Date, task: Task<TargetResolver.Outcome, any Error>)] = [:]

    /// Entries live `lifetime` seconds.
    init(lifetime: TimeInterval) {
        self.lifetime = lifetime
    }

    private var indexes: [String: (storedAt: Date, task: Task<[String: [RefreshableItem]], any Error>)] = [:]

    /// Every `type` item of `connection` by name: a recent or in-flight listing, else `load()`'s.
    func index(
        connection: String, type: RunItem.ContentType, now: Date, load: @escaping @Sendable () async throws -> [RefreshableItem]
    ) async throws -> [String: [RefreshableItem]] {
        let key = "\(connection)\u{1F}\(type.rawValue)"
        if let entry = indexes[key], now.timeIntervalSince(entry.storedAt) < lifetime { return try await entry.task.value }
        let task = Task { Dictionary(grouping: try await load(), by: \.item.name) }
        indexes[key] = (now, task)
        do {
            return try await task.value
        } catch {
            if indexes[key]?.task == task { indexes[key] = nil }
            throw error
        }
    }

    /// Forgets every resolution of `connection` (Tableau said an item it named is gone).
    func forget(connection: String) {
        let prefix = connection + "\u{1F}"
        entries = entries.filter { !$0.key.hasPrefix(prefix) }
        indexes = indexes.filter { !$0.key.hasPrefix(prefix) }
    }

    /// The outcome of resolving `target` on `connection`: a recent or in-flight one, else `resolve()`'s.
    func outcome(
        connection: String, target: RefreshTarget, now: Date, resolve: @escaping @Sendable () async throws -> TargetResolver.Outcome
    ) async throws -> TargetResolver.Outcome {
        let key = "\(connection)\u{1F}\(target)"
        if let entry = entries[key], now.timeIntervalSince(entry.storedAt) < lifetime { return try await entry.task.value }
        if entries.count > 10_000 { entries = entries.filter { now.timeIntervalSince($0.value.storedAt) < lifetime } }
        let task = Task { try await resolve() }
        entries[key] = (now, task)
        do {
            return try await task.value
        } catch {
            if entries[key]?.task == task { entries[key] = nil }  // errors (Tableau unreachable…) are not remembered
            throw error
        }
    }
}
