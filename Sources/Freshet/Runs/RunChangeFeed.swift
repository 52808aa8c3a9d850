/// Tells this process when another process sharing the store changed a run (PostgreSQL:
/// LISTEN/NOTIFY), so that a long-poll here wakes at once rather than at its next poll.
/// Implemented beside a store (the engine imports no database driver); see decisions/0008.
package protocol RunChangeFeed: Sendable {
    /// Calls `changed` each time a run change is stored (by any process, this one included),
    /// until the task is cancelled or the feed fails (then it throws; the caller follows again).
    func follow(_ changed: @escaping @Sendable () async -> Void) async throws
}
