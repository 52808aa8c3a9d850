/// Input that cannot be accepted; ``message`` is shown to people as is.
package struct ValidationError: Error, Sendable, Equatable, CustomStringConvertible {
    package let message: String
    /// The input field at fault (`server`, `patName`…), for APIs that name it.
    package let field: String?

    package init(_ message: String, field: String? = nil) {
        self.message = message
        self.field = field
    }

    package var description: String { message }
}
