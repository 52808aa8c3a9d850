import Foundation
import Freshet
import TableauClient

/// Shares a connection's Tableau session across processes through the store: the token is
/// sealed like any secret, and a sign-in happens under a lease so that only one process signs
/// in at a time (Tableau ends a PAT's earlier session on every new sign-in).
struct StoreSessionCache: TableauSessionCache {
    let connection: Connection
    let store: any SessionStore
    let audit: any AuditStore
    let actor: String
    let keyring: Keyring
    /// How long a stored session is reused (below Tableau Cloud's 120 minutes).
    let lifetime: TimeInterval
    /// Records each sign-in's token lifetime (Tableau's `estimatedTimeToExpiration`).
    let lifetimes: TokenLifetimes
    var connectionId: String { connection.id }
    var connectionName: String { connection.name }
    let holder = "process-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString.prefix(8))"

    var leaseName: String { "signin:\(connectionId)" }

    func cachedSession() async throws -> TableauSession? {
        guard let stored = try await store.session(connectionId: connectionId), stored.expiresAt > Date() else { return nil }
        return TableauSession(
            token: try keyring.open(stored.sealedToken), siteId: stored.siteId, siteContentUrl: stored.siteContentUrl,
            userId: stored.userId, apiVersion: stored.apiVersion, signedInAt: stored.signedInAt
        )
    }

    func signIn(_ signIn: @Sendable () async throws -> TableauSession) async throws -> TableauSession {
        let deadline = Date().addingTimeInterval(120)
        while Date() < deadline {
            let now = Date()
            if try await store.acquireLease(leaseName, holder: holder, until: now.addingTimeInterval(60), now: now) {
                do {
                    // Another process may have signed in while we waited for the lease.
                    if let cached = try await cachedSession() {
                        try await store.releaseLease(leaseName, holder: holder)
                        return cached
                    }
                    let session: TableauSession
                    do {
                        session = try await signIn()
                    } catch {
                        try? await audit.append(
                            AuditEvent(actor: actor, action: "tableau.signin", target: connectionName, outcome: "failure", details: ["error": "\(error)"])
                        )
                        throw error
                    }
                    try await audit.append(
                        AuditEvent(actor: actor, action: "tableau.signin", target: connectionName, outcome: "success", details: ["site": session.siteContentUrl, "api": session.apiVersion])
                    )
                    try? await lifetimes.recordSignIn(connection, expiresIn: session.credentialExpiresIn, actor: actor)
                    try await store.save(
                        StoredSession(
                            connectionId: connectionId, sealedToken: try keyring.seal(session.token), siteId: session.siteId,
                            siteContentUrl: session.siteContentUrl, userId: session.userId, apiVersion: session.apiVersion,
                            signedInAt: session.signedInAt, expiresAt: session.signedInAt.addingTimeInterval(lifetime)
                        )
                    )
                    try await store.releaseLease(leaseName, holder: holder)
                    return session
                } catch {
                    try? await store.releaseLease(leaseName, holder: holder)
                    throw error
                }
            }
            // Someone else is signing in: their session will appear in the store.
            try await Task.sleep(for: .milliseconds(50))
            if let cached = try await cachedSession() { return cached }
        }
        throw TableauSignInLeaseTimeout()
    }

    func discard(token: String) async throws {
        guard let stored = try await store.session(connectionId: connectionId) else { return }
        if (try? keyring.open(stored.sealedToken)) == token {
            try await store.deleteSession(connectionId: connectionId, sealedToken: stored.sealedToken)
        }
    }
}

/// Another process held the sign-in lease for too long.
struct TableauSignInLeaseTimeout: Error, CustomStringConvertible {
    var description: String { "another Freshet process has been signing in to Tableau for over two minutes; try again" }
}
