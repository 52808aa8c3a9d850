package import Foundation
import Synchronization

/// Whether the database took the server's last writes: a request or background step that met
/// a storage failure marks it failing, a later write that succeeded marks it healthy again.
/// `/ready` answers 503 while it is failing (and probes with a write of its own, so that a
/// server nobody writes to recovers).
package final class StorageHealth: Sendable {
    private let state = Mutex<(lastFailure: Date?, lastSuccess: Date?)>((nil, nil))

    package init() {}

    /// A write (or a read) failed because of the database, not the caller.
    package func recordFailure(at time: Date = Date()) {
        state.withLock { $0.lastFailure = time }
    }

    /// A write succeeded.
    package func recordSuccess(at time: Date = Date()) {
        state.withLock { $0.lastSuccess = time }
    }

    /// Whether the latest outcome seen is a failure.
    package var isFailing: Bool {
        state.withLock { state in
            guard let failure = state.lastFailure else { return false }
            guard let success = state.lastSuccess else { return true }
            return success < failure
        }
    }
}
