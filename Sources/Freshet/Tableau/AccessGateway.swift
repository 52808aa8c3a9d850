/// What user management asks of Tableau (implemented over TableauClient outside the engine).
/// Every call uses the connection's shared session; a PAT that is not a site administrator makes
/// them fail with HTTP 403.
package protocol AccessGateway: Sendable {
    /// The user whose Tableau username equals `name`, if any.
    func user(named name: String) async throws(GatewayError) -> SiteUser?
    /// The user whose email equals `email`, if any.
    func user(email: String) async throws(GatewayError) -> SiteUser?
    /// Sets the user's site role; returns the user as Tableau now reports it.
    func setSiteRole(userId: String, role: String) async throws(GatewayError) -> SiteUser
    /// One page of the site's users, filtered as asked, with Tableau's paging.
    func users(_ query: UserListQuery) async throws(GatewayError) -> UserPage
}

extension AccessGateway {
    /// The user whose username, else whose email, equals `identity`.
    package func user(identifiedBy identity: String) async throws(GatewayError) -> SiteUser? {
        if let user = try await user(named: identity) { return user }
        guard identity.contains("@") else { return nil }
        return try await user(email: identity)
    }
}
