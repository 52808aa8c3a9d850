package import Foundation

/// Which connections a keep-alive pass signs in with: keep-alive on, and no sign-in recorded
/// within their interval (or none at all). A connection within a minute of its interval counts
/// as due, so stored times rounded to the millisecond never push a sign-in a whole pass later.
package enum KeepAlivePlan {
    /// How early a connection counts as due.
    static let slack: TimeInterval = 60

    /// The connections due at `now`, by name.
    package static func due(_ connections: [Connection], lifetimes: [CredentialLifetime], now: Date) -> [Connection] {
        let lastUse = Dictionary(lifetimes.map { ($0.connectionId, $0.lastUsedAt) }, uniquingKeysWith: max)
        return connections.filter { connection in
            guard let days = connection.keepAliveDays else { return false }
            guard let last = lastUse[connection.id] else { return true }
            return now.timeIntervalSince(last) >= TimeInterval(days) * 86_400 - slack
        }.sorted { $0.name < $1.name }
    }
}
