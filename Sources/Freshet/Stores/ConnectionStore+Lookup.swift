import Foundation

extension ConnectionStore {
    /// The connection named `nameOrId`, else the one with that id, else nil.
    package func connection(nameOrId: String) async throws -> StoredConnection? {
        if let named = try await connection(named: nameOrId) { return named }
        return try await connection(id: nameOrId)
    }
}
