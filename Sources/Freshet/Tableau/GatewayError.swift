/// A failure reported by the Tableau gateway, already in Tableau's words.
package struct GatewayError: Error, Sendable, Equatable, CustomStringConvertible {
    /// HTTP status when Tableau answered.
    package var status: Int?
    /// Tableau's error code ("401001"…).
    package var code: String?
    /// The full message, e.g. "Tableau sign-in failed (HTTP 401, Signin Error): …".
    package var message: String
    /// Whether trying again later may succeed (429, 5xx, unreachable, timeout).
    package var isTransient: Bool
    /// Whether Tableau could not be reached at all (no answer, or not Tableau answering).
    package var isUnreachable: Bool
    /// Whether the request may have been carried out although no answer says so (the connection
    /// dropped after sending, the call timed out, or Tableau answered 5xx).
    package var outcomeUnknown: Bool
    /// Whether the call stopped because its task was cancelled (a shutdown): its own outcome,
    /// never a Tableau failure, a timeout or a reason to retry.
    package var isCancelled: Bool
    /// Seconds Tableau asked to be left alone (a 429's Retry-After or "retry after N minutes"):
    /// the engine holds the whole site that long.
    package var holdSeconds: Double?
    /// Whether the credential's secret could not be read from its reference (Tableau was not asked).
    package var isSecretUnavailable: Bool

    package init(
        status: Int? = nil, code: String? = nil, message: String, isTransient: Bool = false, isUnreachable: Bool = false,
        outcomeUnknown: Bool = false, isCancelled: Bool = false, holdSeconds: Double? = nil, isSecretUnavailable: Bool = false
    ) {
        self.isCancelled = isCancelled
        self.holdSeconds = holdSeconds
        self.status = status
        self.code = code
        self.message = message
        self.isTransient = isTransient
        self.isUnreachable = isUnreachable
        self.outcomeUnknown = outcomeUnknown
        self.isSecretUnavailable = isSecretUnavailable
    }

    package var description: String { message }
    package var isForbidden: Bool { status == 403 }
}
