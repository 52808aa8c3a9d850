package import Foundation

/// API tokens, stored by hash.
package protocol TokenStore: Sendable {
    /// Adds a token; throws ``StoreError`` when its name is taken.
    func insertToken(_ token: APIToken) async throws
    /// The token whose hash is `hash`, revoked or not.
    func token(hash: String) async throws -> APIToken?
    /// The token with `id` or, failing that, the token named `idOrName`.
    func token(idOrName: String) async throws -> APIToken?
    /// All tokens, by name.
    func tokens() async throws -> [APIToken]
    /// Marks the token revoked at `at`; returns false when there is no such token or it was already revoked.
    func revokeToken(id: String, at: Date) async throws -> Bool
    /// How many tokens exist (revoked ones included).
    func tokenCount() async throws -> Int
}
