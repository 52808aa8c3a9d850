import Freshet
import TableauClient

/// A connection's credentials with the secret read from its ``SecretReference`` at sign-in:
/// from the process's memory unless the client asks to read it anew after a 401.
struct ReferencedCredentials: CredentialSource {
    let connection: Connection
    let reference: SecretReference
    let resolver: SecretResolver

    func credentials(refresh: Bool) async throws -> Credentials {
        Self.credentials(connection, secret: try await resolver.resolve(reference, refresh: refresh))
    }

    /// The client's credentials for `connection` with `secret`.
    static func credentials(_ connection: Connection, secret: String) -> Credentials {
        switch connection.auth {
        case .personalAccessToken(let patName):
            .personalAccessToken(name: patName, secret: secret)
        case .connectedApp(let clientId, let secretId, let username, let scopes):
            .connectedApp(.init(clientId: clientId, secretId: secretId, secretValue: secret, username: username, scopes: scopes))
        }
    }
}
