/// Why a secret reference could not be read. Says which reference and what went wrong; never
/// carries the secret, and never what a helper wrote to its standard error.
package struct SecretReferenceError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The reference as written.
    package let reference: String
    package let reason: String

    package init(reference: String, reason: String) {
        self.reference = reference
        self.reason = reason
    }

    package var description: String { "Cannot read the secret from \(reference): \(reason)" }
}
