package import Foundation

extension InMemoryStore: TokenStore {
    /// Adds `token`; throws when its name is taken.
    package func insertToken(_ token: APIToken) throws {
        guard !tokensById.values.contains(where: { $0.name == token.name }) else {
            throw StoreError(.conflict, "An API token named \"\(token.name)\" already exists")
        }
        tokensById[token.id] = token
    }

    /// The token whose hash is `hash`.
    package func token(hash: String) -> APIToken? {
        tokensById.values.first { $0.hash == hash }
    }

    /// The token with this id, else the one with this name.
    package func token(idOrName: String) -> APIToken? {
        tokensById[idOrName] ?? tokensById.values.first { $0.name == idOrName }
    }

    /// All tokens, by name.
    package func tokens() -> [APIToken] {
        tokensById.values.sorted { $0.name < $1.name }
    }

    /// Marks the token revoked unless it already is.
    package func revokeToken(id: String, at: Date) -> Bool {
        guard var token = tokensById[id], token.revokedAt == nil else { return false }
        token.revokedAt = at
        tokensById[id] = token
        return true
    }

    /// How many tokens exist.
    package func tokenCount() -> Int { tokensById.count }
}
