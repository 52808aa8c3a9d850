import Foundation
import Synchronization

/// What tests and benchmarks read or change on a running emulator, in-process.
extension EmulatorState {
    /// Every request answered so far (method, path, query, status, time).
    public func recordedRequests() -> [RecordedRequest] {
        requestLog.snapshot()
    }

    /// Every attempted webhook delivery, oldest first.
    public func deliveredWebhooks() -> [WebhookDelivery] {
        webhookDeliveries.withLock { $0 }
    }

    /// Empties the request log.
    public func clearRecordedRequests() {
        requestLog.clear()
    }

    /// Ends sessions: the one with `token`, all sessions of PAT `patName`, or all when both are nil.
    /// - Returns: how many sessions ended.
    @discardableResult
    public func revokeSessions(token: String? = nil, patName: String? = nil) -> Int {
        world.withLock { $0.revoke(token: token, patName: patName) }
    }

    /// Gives PAT `name` a new secret (and, when given, a new expiry `expiresInDays` from now),
    /// ending its live sessions as regenerating a token in Tableau does.
    /// - Returns: false when there is no PAT of that name.
    @discardableResult
    public func rotatePersonalAccessToken(named name: String, secret: String, expiresInDays: Double? = nil) -> Bool {
        let now = clock.now()
        return world.withLock { world in
            guard world.personalAccessTokens[name] != nil else { return false }
            world.personalAccessTokens[name]?.secret = secret
            if let expiresInDays { world.personalAccessTokens[name]?.expiresAt = now.addingTimeInterval(expiresInDays * 86_400) }
            _ = world.revoke(token: nil, patName: name)
            return true
        }
    }

    /// Replaces the fault settings.
    public func setFaults(_ settings: FaultSettings) {
        faults.withLock { $0.settings = settings }
        world.withLock { $0.defaultMaxConcurrentJobs = settings.maxConcurrentJobsPerSite }
    }

    /// Sign-in requests answered with 200 so far.
    public func successfulSignIns() -> Int {
        requestLog.snapshot().filter { $0.path.lowercased().hasSuffix("/auth/signin") && $0.status == 200 }.count
    }
}
