import Crypto
import Foundation

extension Keyring {
    /// An unguessable secret for `purpose` (e.g. "webhook:<connection id>"): HMAC-SHA256 of the
    /// purpose under the current master key, base64url without padding (43 characters). The same
    /// in every process sharing the key and across restarts; a new one after a key rotation.
    /// Nothing is stored.
    package func derivedSecret(for purpose: String) -> String {
        Self.derive(purpose, with: current)
    }

    /// Whether `candidate` is `purpose`'s secret under the current or a previous master key
    /// (compared in constant time).
    package func matchesDerivedSecret(_ candidate: String, for purpose: String) -> Bool {
        let given = Array(candidate.utf8)
        var matched = false
        for key in keys {
            let expected = Array(Self.derive(purpose, with: key).utf8)
            guard expected.count == given.count else { continue }
            var difference: UInt8 = 0
            for index in expected.indices { difference |= expected[index] ^ given[index] }
            if difference == 0 { matched = true }
        }
        return matched
    }

    private static func derive(_ purpose: String, with key: MasterKey) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data("freshet-derived-secret:\(purpose)".utf8), using: key.key)
        return Data(mac).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
