package import Foundation

extension InMemoryStore: CredentialLifetimeStore {
    package func recordSignIn(connectionId: String, at: Date, expiresAt: Date?) {
        guard connectionById(connectionId) else { return }
        lifetimesById[connectionId] = CredentialLifetime(connectionId: connectionId, expiresAt: expiresAt, lastUsedAt: at)
    }

    package func credentialLifetime(connectionId: String) -> CredentialLifetime? { lifetimesById[connectionId] }

    package func credentialLifetimes() -> [CredentialLifetime] {
        lifetimesById.values.sorted { $0.connectionId < $1.connectionId }
    }

    /// Whether the connection exists (a lifetime is never kept for a removed connection).
    private func connectionById(_ id: String) -> Bool { connection(id: id) != nil }
}
