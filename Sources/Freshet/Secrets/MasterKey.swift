import Crypto
import Foundation

/// A 256-bit key that seals secrets; its id (from its own hash) is recorded in each ciphertext,
/// so the right key is found after a rotation and a wrong key is named, never guessed at.
package struct MasterKey: Sendable {
    package let id: String
    let key: SymmetricKey

    /// A new random key.
    package static func generate() -> MasterKey {
        MasterKey(key: SymmetricKey(size: .bits256))
    }

    init(key: SymmetricKey) {
        self.key = key
        let digest = SHA256.hash(data: key.withUnsafeBytes { Data($0) })
        id = "k" + digest.prefix(4).lowercaseHex
    }

    /// A key from its base64 text (`FRESHET_MASTER_KEY`, the key file).
    package init(base64 text: String) throws(SecretError) {
        guard let data = Data(base64Encoded: text.trimmingCharacters(in: .whitespacesAndNewlines)), data.count == 32 else {
            throw SecretError.invalidKey("a master key must be 32 random bytes in base64 (for example from `openssl rand -base64 32`)")
        }
        self.init(key: SymmetricKey(data: data))
    }

    /// The key as base64 text, for the key file.
    package var base64: String { key.withUnsafeBytes { Data($0).base64EncodedString() } }
}

/// Why a secret could not be sealed or opened. Never carries the secret or the key.
package struct SecretError: Error, Sendable, Equatable, CustomStringConvertible {
    package let description: String

    static func invalidKey(_ message: String) -> SecretError { SecretError(description: "Invalid master key: \(message)") }

    static func unknownKey(_ id: String) -> SecretError {
        SecretError(
            description: "A stored secret was sealed with master key \(id), which is not available. Set FRESHET_MASTER_KEY to that key (or restore the key file in the data directory); Freshet never guesses."
        )
    }

    static func wrongKey(_ id: String) -> SecretError {
        SecretError(description: "A stored secret could not be opened with master key \(id): the key is wrong or the data was altered.")
    }

    static let malformed = SecretError(description: "A stored secret is not in Freshet's sealed format.")
}
