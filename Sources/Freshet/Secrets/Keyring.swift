import Crypto
import Foundation

/// The keys that seal and open secrets: the current key seals; older keys (kept during and after
/// a rotation) still open what they sealed.
///
/// Sealed form: `fsk1:<key id>:<base64(nonce ‖ ciphertext ‖ tag)>` (AES-256-GCM).
package struct Keyring: Sendable {
    package private(set) var current: MasterKey
    package private(set) var previous: [MasterKey]

    package init(current: MasterKey, previous: [MasterKey] = []) {
        self.current = current
        self.previous = previous.filter { $0.id != current.id }
    }

    /// All keys, current first.
    package var keys: [MasterKey] { [current] + previous }

    /// Makes `key` current, keeping the old current key for opening.
    package mutating func rotate(to key: MasterKey) {
        previous = ([current] + previous).filter { $0.id != key.id }
        current = key
    }

    /// Forgets keys that no sealed secret uses any more.
    package mutating func retire(keeping ids: Set<String>) {
        previous = previous.filter { ids.contains($0.id) }
    }

    package func seal(_ secret: String) throws(SecretError) -> String {
        do {
            let box = try AES.GCM.seal(Data(secret.utf8), using: current.key)
            guard let combined = box.combined else { throw SecretError.malformed }
            return "fsk1:\(current.id):\(combined.base64EncodedString())"
        } catch let error as SecretError {
            throw error
        } catch {
            throw SecretError.malformed
        }
    }

    /// The id of the key that sealed `sealed`.
    package static func keyId(of sealed: String) -> String? {
        let parts = sealed.split(separator: ":", maxSplits: 2)
        guard parts.count == 3, parts[0] == "fsk1" else { return nil }
        return String(parts[1])
    }

    package func open(_ sealed: String) throws(SecretError) -> String {
        let parts = sealed.split(separator: ":", maxSplits: 2)
        guard parts.count == 3, parts[0] == "fsk1", let data = Data(base64Encoded: String(parts[2])) else { throw SecretError.malformed }
        let id = String(parts[1])
        guard let key = keys.first(where: { $0.id == id }) else { throw SecretError.unknownKey(id) }
        do {
            let box = try AES.GCM.SealedBox(combined: data)
            let plain = try AES.GCM.open(box, using: key.key)
            guard let text = String(data: plain, encoding: .utf8) else { throw SecretError.malformed }
            return text
        } catch {
            throw SecretError.wrongKey(id)
        }
    }

    /// `sealed` re-sealed under the current key (unchanged if it already is).
    package func reseal(_ sealed: String) throws(SecretError) -> String {
        if Self.keyId(of: sealed) == current.id { return sealed }
        return try seal(try open(sealed))
    }
}
