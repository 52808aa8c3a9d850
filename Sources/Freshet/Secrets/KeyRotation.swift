import Foundation

/// Re-encrypts every stored secret under a new master key, so that an interruption at any
/// point loses nothing:
///
/// 1. the new key is saved as current, with the old keys kept for opening (`persist`);
/// 2. every sealed value is re-sealed in one store transaction (all or nothing);
/// 3. keys no sealed value uses any more are retired and the keyring saved again.
///
/// Stopped after 1, everything still opens (old ciphertexts, old key kept); after 2, everything
/// opens with the new key; running the rotation again finishes the job.
package struct KeyRotation: Sendable {
    package struct Outcome: Sendable, Equatable {
        package var previousKeyId: String
        package var newKeyId: String
        /// Sealed values re-encrypted.
        package var resealed: Int
        /// Key ids still kept after retiring unused ones.
        package var keptKeyIds: [String]
    }

    let store: any ConnectionStore
    let audit: any AuditStore

    package init(store: any ConnectionStore, audit: any AuditStore) {
        self.store = store
        self.audit = audit
    }

    /// Rotates to `newKey` (or only re-seals under the current key when `newKey` is nil, as when
    /// the key comes from `FRESHET_MASTER_KEY` and was changed there).
    package func rotate(
        _ keyring: Keyring, to newKey: MasterKey?, actor: String, persist: @Sendable (Keyring) throws -> Void
    ) async throws -> (Keyring, Outcome) {
        var rotated = keyring
        let previousId = keyring.current.id
        if let newKey {
            rotated.rotate(to: newKey)
            try persist(rotated)
        }
        let sealing = rotated
        let count: Int
        do {
            count = try await store.resealAll { sealed in try sealing.reseal(sealed) }
        } catch {
            try? await audit.append(
                AuditEvent(actor: actor, action: "secrets.rotated", target: "master-key", outcome: "failure", details: ["error": "\(error)"])
            )
            throw error
        }
        rotated.retire(keeping: try await store.sealingKeyIds())
        if newKey != nil { try persist(rotated) }
        let outcome = Outcome(previousKeyId: previousId, newKeyId: rotated.current.id, resealed: count, keptKeyIds: rotated.keys.map(\.id))
        try await audit.append(
            AuditEvent(actor: actor, action: "secrets.rotated", target: "master-key", outcome: "success", details: [
                "from": previousId, "to": rotated.current.id, "resealed": String(count),
            ])
        )
        return (rotated, outcome)
    }
}
