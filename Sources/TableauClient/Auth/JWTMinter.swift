import Foundation
import JWTKit

/// Mints connected-app JWTs (direct trust): HS256, `kid` = secret id, `iss` = client id (in
/// header and payload), `aud` "tableau", `exp` 5 minutes ahead (Tableau allows at most 10),
/// a fresh `jti`, and the requested scopes in `scp`.
enum JWTMinter {
    struct Payload: JWTPayload {
        var iss: IssuerClaim
        var sub: SubjectClaim
        var aud: AudienceClaim
        var exp: ExpirationClaim
        var jti: IDClaim
        var iat: IssuedAtClaim
        var scp: [String]

        func verify(using algorithm: some JWTAlgorithm) throws {
            try exp.verifyNotExpired()
        }
    }

    /// Lifetime of a minted token: well inside Tableau's 10-minute limit, allowing for clock skew.
    static let lifetime: TimeInterval = 300

    static func mint(_ app: Credentials.ConnectedApp, now: Date = Date()) async throws -> String {
        // Tableau's connected-app secrets are long random strings; HS256 needs at least 32 bytes.
        guard app.secretValue.utf8.count >= 32 else {
            throw TableauError.configuration("Connected app secret value is too short (HS256 needs at least 32 bytes); copy the whole secret value from Tableau")
        }
        let keys = JWTKeyCollection()
        await keys.add(hmac: HMACKey(from: app.secretValue), digestAlgorithm: .sha256, kid: JWKIdentifier(string: app.secretId))
        let payload = Payload(
            iss: IssuerClaim(value: app.clientId), sub: SubjectClaim(value: app.username), aud: AudienceClaim(value: ["tableau"]),
            exp: ExpirationClaim(value: now.addingTimeInterval(lifetime)), jti: IDClaim(value: UUID().uuidString),
            iat: IssuedAtClaim(value: now), scp: app.scopes
        )
        var header = JWTHeader()
        header.fields["iss"] = .string(app.clientId)
        return try await keys.sign(payload, kid: JWKIdentifier(string: app.secretId), header: header)
    }
}
