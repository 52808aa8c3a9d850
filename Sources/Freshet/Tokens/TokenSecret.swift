import Crypto
import Foundation

/// The text of a new API token (`fsh_` + 43 URL-safe base64 characters, 256 random bits) and
/// its hash. Only the hash is stored; the text is shown once.
package enum TokenSecret {
    package static let prefix = "fsh_"

    /// A new random token text.
    package static func generate() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        let text = Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        return prefix + text
    }

    /// Hex SHA-256 of `token`, as stored and looked up.
    package static func hash(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).lowercaseHex
    }

    /// What lists show of a token: its first 8 characters.
    package static func hint(_ token: String) -> String {
        String(token.prefix(8))
    }
}
