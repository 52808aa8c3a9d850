import Crypto
import Foundation
import TableauEmulator

/// Builds connected-app JWTs by hand (HS256 with swift-crypto's HMAC), so each rule can be broken on purpose.
struct JWTBuilder {
    var secretId = "demo-secret-id"
    var clientId = "demo-connected-app"
    var secret = "demo-connected-app-secret-value-0123456789"
    var subject: String? = "admin@example.com"
    var audience: String? = "tableau"
    /// Seconds from `now` to `exp`.
    var lifetime: Double = 300
    var jwtId: String? = UUID().uuidString
    var scopes: [String]? = ["tableau:content:read", "tableau:tasks:run", "tableau:jobs:read"]
    /// Sign with this secret instead of ``secret`` (a bad signature).
    var signingSecret: String?

    func token(now: Date) -> String {
        let header: [String: Any] = ["alg": "HS256", "typ": "JWT", "kid": secretId, "iss": clientId]
        var payload: [String: Any] = ["iss": clientId, "exp": Int(now.timeIntervalSince1970 + lifetime), "iat": Int(now.timeIntervalSince1970)]
        if let subject { payload["sub"] = subject }
        if let audience { payload["aud"] = audience }
        if let jwtId { payload["jti"] = jwtId }
        if let scopes { payload["scp"] = scopes }
        let signingInput = Self.encode(header) + "." + Self.encode(payload)
        let key = SymmetricKey(data: Data((signingSecret ?? secret).utf8))
        let mac = HMAC<SHA256>.authenticationCode(for: Data(signingInput.utf8), using: key)
        return signingInput + "." + Self.base64URL(Data(mac))
    }

    private static func encode(_ object: [String: Any]) -> String {
        base64URL(try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]))
    }

    static func base64URL(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
