/// Why a secret reference could not be read. Says which reference and what went wrong; never
/// carries the secret, and never what a helper wrote to its standard error.
public struct SecretReferenceError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The reference as written.
    public let reference: String
    public let reason: String

    public init(reference: String, reason: String) {
        self.reference = reference
        self.reason = reason
    }

    public var description: String { "Cannot read the secret from \(reference): \(reason)" }
}
