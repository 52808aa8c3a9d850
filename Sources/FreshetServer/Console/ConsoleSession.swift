import Crypto
import Foundation
import Freshet

/// A console session: the API token it was opened with, when it ends, and the CSRF token its
/// forms carry. Stateless: it lives only in a cookie, sealed with AES-GCM (``ConsoleSessionSealer``),
/// and every request authenticates its API token again exactly as the API does, so revoking the
/// token ends the session at once.
struct ConsoleSession: Codable, Sendable, Equatable {
    /// The API token's text.
    var token: String
    /// Seconds since 1970 after which the session is refused.
    var expires: Double
    /// The CSRF token every form of this session carries.
    var csrf: String

    /// How long a session lasts.
    static let lifetime: TimeInterval = 8 * 3600
    /// The session cookie's name.
    static let cookieName = "freshet_session"
    /// The sign-in form's own CSRF cookie (before there is a session).
    static let signInCookieName = "freshet_signin"

    var expiresAt: Date { Date(timeIntervalSince1970: expires) }
}

/// Seals and opens ``ConsoleSession`` cookies with a key derived (HKDF-SHA256) from the runtime's
/// current master key, so sessions survive a restart and work across processes sharing the key;
/// rotating the master key ends every console session.
struct ConsoleSessionSealer: Sendable {
    private let key: SymmetricKey

    init(keyring: Keyring) {
        let material = SymmetricKey(data: Data(base64Encoded: keyring.current.base64) ?? Data())
        key = HKDF<SHA256>.deriveKey(
            inputKeyMaterial: material, salt: Data("freshet-console".utf8), info: Data("session-cookie-v1".utf8), outputByteCount: 32)
    }

    init(key: SymmetricKey) {
        self.key = key
    }

    /// The cookie value of `session` (base64url, no padding).
    func seal(_ session: ConsoleSession) throws -> String {
        let plain = try JSONEncoder().encode(session)
        guard let combined = try AES.GCM.seal(plain, using: key).combined else { throw ConsoleError.badSession }
        return Self.base64url(combined)
    }

    /// The session in `value` when it opens with this key and has not expired.
    func open(_ value: String, now: Date) -> ConsoleSession? {
        guard let data = Self.data(base64url: value), let box = try? AES.GCM.SealedBox(combined: data),
            let plain = try? AES.GCM.open(box, using: key), let session = try? JSONDecoder().decode(ConsoleSession.self, from: plain),
            now < session.expiresAt
        else { return nil }
        return session
    }

    /// A new random token (CSRF, sign-in form) of 32 hex digits.
    static func randomToken() -> String {
        SymmetricKey(size: .bits128).withUnsafeBytes { bytes in bytes.map { String(format: "%02x", $0) }.joined() }
    }

    /// Whether `a` equals `b`, in time independent of where they differ.
    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count, !x.isEmpty else { return false }
        var difference: UInt8 = 0
        for index in x.indices { difference |= x[index] ^ y[index] }
        return difference == 0
    }

    static func base64url(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func data(base64url text: String) -> Data? {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        return Data(base64Encoded: base64)
    }
}

/// Console-only refusals, rendered as pages.
enum ConsoleError: Error, Equatable {
    /// No valid session cookie: go to the sign-in page.
    case signInRequired
    /// A form arrived without this session's CSRF token.
    case csrfRejected
    /// A session could not be sealed.
    case badSession
}
