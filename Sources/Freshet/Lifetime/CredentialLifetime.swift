package import Foundation

/// What Freshet knows about a connection's credential lifetime: when Tableau said it expires
/// (from `estimatedTimeToExpiration` at the last sign-in) and when it was last used. A sign-in
/// is what Tableau counts as using a PAT, so "last used" is the last sign-in with it.
package struct CredentialLifetime: Sendable, Equatable, Codable {
    package var connectionId: String
    /// Sign-in time plus Tableau's estimate; nil when Tableau reported none (connected apps,
    /// tokens without an expiry).
    package var expiresAt: Date?
    /// The last sign-in with the credential.
    package var lastUsedAt: Date

    package init(connectionId: String, expiresAt: Date?, lastUsedAt: Date) {
        self.connectionId = connectionId
        self.expiresAt = expiresAt
        self.lastUsedAt = lastUsedAt
    }

    /// Seconds left at `now` (negative once expired); nil without an expiry.
    package func secondsLeft(at now: Date) -> TimeInterval? {
        expiresAt.map { $0.timeIntervalSince(now) }
    }

    /// Whole days left at `now`, rounded down; nil without an expiry.
    package func daysLeft(at now: Date) -> Int? {
        secondsLeft(at: now).map { Int(($0 / 86_400).rounded(.down)) }
    }
}

/// Where credential lifetimes are kept (the in-memory store, SQLite).
package protocol CredentialLifetimeStore: Sendable {
    /// Records a sign-in with the connection's credential at `at`, and Tableau's expiry estimate.
    func recordSignIn(connectionId: String, at: Date, expiresAt: Date?) async throws
    func credentialLifetime(connectionId: String) async throws -> CredentialLifetime?
    /// Every recorded lifetime (one per connection).
    func credentialLifetimes() async throws -> [CredentialLifetime]
}
