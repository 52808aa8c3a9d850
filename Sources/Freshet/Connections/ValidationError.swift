/// Input that cannot be accepted; ``message`` is shown to people as is.
public struct ValidationError: Error, Sendable, Equatable, CustomStringConvertible {
    public let message: String
    /// The input field at fault (`server`, `patName`…), for APIs that name it.
    public let field: String?

    public init(_ message: String, field: String? = nil) {
        self.message = message
        self.field = field
    }

    public var description: String { message }
}
