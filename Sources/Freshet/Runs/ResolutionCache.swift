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

    /// Forgets every resolution of `connection` (Tableau said an item it named is gone).
    func forget(connection: String) {
        let prefix = connection + "\u{1F}"
        entries = entries.filter { !$0.key.hasPrefix(prefix) }
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
