/// The one error type of ``TableauClient``: Tableau's own answer (HTTP status, code, summary,
/// detail) or a local failure (unreachable host, an answer that is not Tableau's, a timeout).
///
/// Descriptions use Freshet's wording and never contain a secret:
/// - "Tableau sign-in failed (HTTP 401, Signin Error): Error signing in to Tableau Server"
/// - "could not reach Tableau at tableau.example.com"
/// - "Tableau sign-in succeeded but returned no session token"
public struct TableauError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong, in broad strokes.
    public enum Kind: Sendable, Equatable {
        /// Tableau answered with an error (see ``status``, ``code``, ``summary``, ``detail``).
        case tableau
        /// The host could not be reached (DNS, refused, reset, TLS).
        case unreachable
        /// The host answered, but not as Tableau does (wrong host, proxy page).
        case notTableau
        /// Sign-in answered 200 but carried no token.
        case noSessionToken
        /// Every new session was refused (HTTP 401) before it could be used: sessions are
        /// being revoked as fast as they are made. Tableau did not act on the request.
        case sessionsRefused
        /// The request or a wait ran past its deadline.
        case timedOut
        /// The caller's task was cancelled (a shutdown, a client that went away): neither a
        /// timeout nor transient, and never retried. A request may have reached Tableau.
        case cancelled
        /// The client was configured wrongly.
        case invalidConfiguration
        /// Tableau's answer could not be read.
        case invalidResponse
        /// The credentials' secret could not be read from where it lives (a ``CredentialSource``
        /// failed); Tableau was not contacted.
        case credentialsUnavailable
    }

    public let kind: Kind
    /// HTTP status, when there was an answer.
    public let status: Int?
    /// Tableau's six-digit error code (a string, as Tableau sends it).
    public let code: String?
    public let summary: String?
    public let detail: String?
    /// Host the client talked to.
    public let host: String?
    /// Whether the failure came from sign-in.
    public let duringSignIn: Bool
    /// Seconds Tableau asked to wait (Retry-After on 429/503).
    public let retryAfter: Double?

    init(
        kind: Kind, status: Int? = nil, code: String? = nil, summary: String? = nil, detail: String? = nil, host: String? = nil,
        duringSignIn: Bool = false, retryAfter: Double? = nil
    ) {
        self.kind = kind
        self.status = status
        self.code = code
        self.summary = summary
        self.detail = detail
        self.host = host
        self.duringSignIn = duringSignIn
        self.retryAfter = retryAfter
    }

    public var description: String {
        switch kind {
        case .tableau:
            let what = duringSignIn ? "Tableau sign-in failed" : "Tableau request failed"
            let head = "\(what) (HTTP \(status ?? 0), \(summary ?? "no summary"))"
            return detail.map { "\(head): \($0)" } ?? head
        case .unreachable:
            return "could not reach Tableau at \(host ?? "the configured host")" + (detail.map { " (\($0))" } ?? "")
        case .notTableau:
            return "the server at \(host ?? "the configured host") did not answer like Tableau (HTTP \(status ?? 0)): \(detail ?? "")"
        case .noSessionToken:
            return "Tableau sign-in succeeded but returned no session token"
        case .sessionsRefused:
            return "Tableau refused \(detail ?? "several") new sessions in a row (HTTP 401): sessions are being revoked as soon as they are made"
        case .timedOut:
            return detail ?? "timed out waiting for Tableau at \(host ?? "the configured host")"
        case .cancelled:
            return detail ?? "the call to Tableau at \(host ?? "the configured host") was cancelled"
        case .invalidConfiguration:
            return detail ?? "invalid Tableau configuration"
        case .invalidResponse:
            return "Tableau's answer could not be read: \(detail ?? "unexpected content")"
        case .credentialsUnavailable:
            return detail ?? "the credentials could not be read"
        }
    }

    /// Whether retrying later may succeed: 429, 500, 502, 503, 504, unreachable hosts, timeouts
    /// and sessions revoked as fast as they were made.
    public var isTransient: Bool {
        switch kind {
        case .unreachable, .timedOut, .sessionsRefused: return true
        case .tableau, .notTableau: return [429, 500, 502, 503, 504].contains(status ?? 0)
        default: return false
        }
    }

    /// Tableau refused a refresh because one is already queued or running for the item (409093).
    public var isDuplicateRefresh: Bool { code == "409093" }

    /// Tableau refused a refresh because the item has no extract (409090 or 403180).
    public var isNotRefreshable: Bool { code == "409090" || code == "403180" }

    /// The session token was missing, unknown or expired (HTTP 401 outside sign-in).
    public var isSessionInvalid: Bool { kind == .tableau && status == 401 && !duringSignIn }

    /// Tableau refused for lack of permission (HTTP 403).
    public var isForbidden: Bool { status == 403 }

    /// The item or resource does not exist (HTTP 404).
    public var isNotFound: Bool { status == 404 }

    static func cancelled(_ message: String, host: String? = nil) -> TableauError {
        TableauError(kind: .cancelled, detail: message, host: host)
    }

    static func configuration(_ message: String) -> TableauError {
        TableauError(kind: .invalidConfiguration, detail: message)
    }

    static func invalidResponse(_ message: String, status: Int? = nil) -> TableauError {
        TableauError(kind: .invalidResponse, status: status, detail: message)
    }
}
