public import Foundation

extension InMemoryStore: CredentialLifetimeStore {
    public func recordSignIn(connectionId: String, at: Date, expiresAt: Date?) {
        guard connectionById(connectionId) else { return }
        lifetimesById[connectionId] = CredentialLifetime(connectionId: connectionId, expiresAt: expiresAt, lastUsedAt: at)
    }

    public func credentialLifetime(connectionId: String) -> CredentialLifetime? { lifetimesById[connectionId] }

    public func credentialLifetimes() -> [CredentialLifetime] {
        lifetimesById.values.sorted { $0.connectionId < $1.connectionId }
    }

    /// Whether the connection exists (a lifetime is never kept for a removed connection).
    private func connectionById(_ id: String) -> Bool { connection(id: id) != nil }
}
