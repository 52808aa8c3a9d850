/// Caps how many refreshes run at once per connection (Tableau's backgrounders are finite):
/// a slot is taken before a refresh is triggered and given back when its job ends.
actor RefreshLimiter {
    private let limit: Int
    private var inUse: [String: Int] = [:]
    private var queue: [String: [(id: Int, continuation: CheckedContinuation<Void, any Error>)]] = [:]
    private var nextId = 0

    /// At most `limit` (at least 1) slots per connection.
    init(limit: Int) {
        self.limit = max(1, limit)
    }

    /// Takes a slot of `connection`, waiting for one if needed; throws when cancelled while waiting.
    func acquire(_ connection: String) async throws {
        if inUse[connection, default: 0] < limit {
            inUse[connection, default: 0] += 1
            return
        }
        nextId += 1
        let id = nextId
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                if Task.isCancelled {
                    continuation.resume(throwing: CancellationError())
                } else {
                    queue[connection, default: []].append((id, continuation))
                }
            }
        } onCancel: {
            Task { await self.dropWaiter(connection, id) }
        }
    }

    /// Takes a slot without waiting, even over the limit (a job Tableau already runs occupies a backgrounder anyway).
    func force(_ connection: String) {
        inUse[connection, default: 0] += 1
    }

    /// Gives a slot back; the longest waiter gets it.
    func release(_ connection: String) {
        if var waiting = queue[connection], !waiting.isEmpty {
            let next = waiting.removeFirst()
            queue[connection] = waiting
            next.continuation.resume()
            return
        }
        inUse[connection] = max(0, inUse[connection, default: 0] - 1)
    }

    /// Slots in use and waiters, per connection (for metrics and tests).
    func usage(_ connection: String) -> (inUse: Int, waiting: Int) {
        (inUse[connection, default: 0], queue[connection]?.count ?? 0)
    }

    private func dropWaiter(_ connection: String, _ id: Int) {
        guard let index = queue[connection]?.firstIndex(where: { $0.id == id }) else { return }
        let waiter = queue[connection]!.remove(at: index)
        waiter.continuation.resume(throwing: CancellationError())
    }
}
