import Crypto
import Foundation

/// Checks a connected-app JWT the way Tableau's direct trust does (REST-API.md §2.5).
enum JWTVerifier {
    struct Claims {
        var subject: String
        var scopes: [String]
        var jwtId: String
    }

    /// Verifies signature and claims; the failure detail names what is wrong, since Tableau's
    /// connected-app error codes (REST-API.md §2.5) are what an administrator would look up.
    static func verify(_ token: String, site: Site, now: Date, usedIds: Set<String>) throws(EmulatorError) -> Claims {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let headerData = base64URL(parts[0]), let payloadData = base64URL(parts[1]),
            let signature = base64URL(parts[2]),
            let header = (try? JSONSerialization.jsonObject(with: headerData)) as? [String: Any],
            let payload = (try? JSONSerialization.jsonObject(with: payloadData)) as? [String: Any]
        else { throw fail(10084, "JWT_PARSE_ERROR: the token is not a signed JWT") }
        guard header["alg"] as? String == "HS256" else { throw fail(10083, "BAD_JWT: alg must be HS256") }
        guard let kid = header["kid"] as? String else { throw fail(10083, "BAD_JWT: the header has no kid (the connected app's secret id)") }
        guard let app = site.connectedApps.first(where: { $0.secretId == kid }) else {
            throw fail(127, "CONNECTED_APP_SECRET_NOT_FOUND: no connected app on this site has secret id \(kid)")
        }
        guard app.enabled else { throw fail(67, "FEATURE_NOT_ENABLED: the connected app is disabled") }
        let key = SymmetricKey(data: Data(app.secretValue.utf8))
        let signed = Data((parts[0] + "." + parts[1]).utf8)
        guard HMAC<SHA256>.isValidAuthenticationCode(signature, authenticating: signed, using: key) else {
            throw fail(10083, "BAD_JWT: the signature does not match the connected app's secret")
        }
        if let headerIssuer = header["iss"] as? String, headerIssuer != app.clientId {
            throw fail(126, "CONNECTED_APP_NOT_FOUND: header iss is not the connected app's client id")
        }
        guard payload["iss"] as? String == app.clientId else {
            throw fail(126, "CONNECTED_APP_NOT_FOUND: iss must be the connected app's client id")
        }
        let audience = payload["aud"]
        guard audience as? String == "tableau" || (audience as? [String])?.contains("tableau") == true else {
            throw fail(16, "LOGIN_FAILED: aud must be \"tableau\"")
        }
        guard let expiry = (payload["exp"] as? NSNumber)?.doubleValue else { throw fail(16, "LOGIN_FAILED: exp is missing") }
        guard expiry > now.timeIntervalSince1970 else { throw fail(16, "LOGIN_FAILED: the token has expired") }
        guard expiry <= now.timeIntervalSince1970 + 600 else {
            throw fail(10096, "JWT_EXPIRATION_EXCEEDS_CONFIGURED_EXPIRATION_PERIOD: exp is more than 10 minutes ahead")
        }
        guard let jwtId = payload["jti"] as? String, !jwtId.isEmpty else { throw fail(16, "LOGIN_FAILED: jti is missing") }
        guard !usedIds.contains(jwtId) else { throw fail(16, "LOGIN_FAILED: this jti has already been used") }
        guard let subject = payload["sub"] as? String, !subject.isEmpty else { throw fail(16, "LOGIN_FAILED: sub is missing") }
        guard let user = site.user(named: subject), user.siteRole != "Unlicensed" else {
            throw fail(5, "SYSTEM_USER_NOT_FOUND: \(subject) is not a licensed user of this site")
        }
        let scopes: [String]
        if let list = payload["scp"] as? [String] {
            scopes = list
        } else if let single = payload["scp"] as? String {
            scopes = single.split(separator: " ").map(String.init)
        } else {
            throw fail(16, "LOGIN_FAILED: scp (the list of scopes) is missing")
        }
        return Claims(subject: subject, scopes: scopes, jwtId: jwtId)
    }

    private static func fail(_ code: Int, _ reason: String) -> EmulatorError {
        .signInError("Error signing in to Tableau Server (connected app error \(code): \(reason))")
    }

    static func base64URL(_ text: Substring) -> Data? {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        return Data(base64Encoded: base64)
    }
}
