package import Foundation
package import Freshet
import TableauClient

/// Access events, their signature and user management, for the CLI and the HTTP routes.
///
/// A route for `POST /api/v1/access-events` only has to: read the exact body bytes; if the
/// caller has no `users:admin` token, call ``verifyAccessEventSignature(body:timestamp:signature:now:)``
/// with the two headers; decode ``AccessEvent`` from the body; call
/// ``handleAccessEvent(_:actor:)``; and answer from the returned record (`repeated`, `status`).
extension FreshetRuntime {
    /// The environment variable holding the access-event shared secret.
    package static let accessEventSecretVariable = "FRESHET_ACCESS_EVENT_SECRET"
    /// The environment variable naming a file that holds it instead.
    package static let accessEventSecretFileVariable = "FRESHET_ACCESS_EVENT_SECRET_FILE"

    /// Access events and user management on this runtime's database.
    package var access: AccessService {
        AccessService(events: store, connections: store, audit: store)
    }

    /// The shared secret signed access events are checked with: `FRESHET_ACCESS_EVENT_SECRET`,
    /// else the contents of the file `FRESHET_ACCESS_EVENT_SECRET_FILE` (trimmed); nil when neither
    /// is set (signed events are then refused). Never stored, logged or shown.
    package static func accessEventSecret(environment: [String: String] = ProcessInfo.processInfo.environment) throws(AccessError) -> String? {
        var secret: String?
        if let value = environment[accessEventSecretVariable], !value.isEmpty {
            secret = value
        } else if let path = environment[accessEventSecretFileVariable], !path.isEmpty {
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw .invalidRequest("Cannot read the access-event secret file \(path) named by \(accessEventSecretFileVariable)")
            }
            secret = text.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        guard let secret else { return nil }
        guard secret.utf8.count >= AccessEventSignature.minimumSecretLength else {
            let source = environment[accessEventSecretVariable]?.isEmpty == false ? accessEventSecretVariable : accessEventSecretFileVariable
            throw .invalidRequest(
                "The access-event secret (\(source)) must be at least \(AccessEventSignature.minimumSecretLength) bytes long (got \(secret.utf8.count))")
        }
        return secret
    }

    /// Checks a signed access-event delivery (exact body bytes, `X-Freshet-Timestamp`,
    /// `X-Freshet-Signature`) against the configured secret at `now`. Throws ``SignatureError``,
    /// or ``AccessError`` when no secret is configured.
    package func verifyAccessEventSignature(
        body: some Sequence<UInt8>, timestamp: String?, signature: String?, now: Date = Date(),
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws {
        guard let secret = try Self.accessEventSecret(environment: environment) else {
            throw AccessError.invalidRequest(
                "Signed access events are not enabled: set \(Self.accessEventSecretVariable) or \(Self.accessEventSecretFileVariable)"
            )
        }
        try AccessEventSignature.verify(body: body, timestamp: timestamp, signature: signature, secret: secret, now: now)
    }

    /// The user-management gateway of a connection (name or id); signs in lazily, sharing the session.
    package func accessGateway(connection: String, actor: String) async throws -> any AccessGateway {
        let resolved = try await access.connection(connection)
        return ClientAccessGateway(client: try await client(for: resolved.name, actor: actor))
    }

    /// Handles one access-event delivery (see ``AccessService/handle(_:actor:gateway:)``): a
    /// repeated event id is answered from the record without calling Tableau.
    package func handleAccessEvent(_ event: AccessEvent, actor: String) async throws -> AccessEventResult {
        let event = try event.validated()
        return try await access.handle(event, actor: actor, gateway: try await accessGateway(connection: event.connection, actor: actor))
    }

    /// One page of a connection's site users (filters: name, email, site role).
    package func users(connection: String, query: UserListQuery = UserListQuery(), actor: String) async throws -> UserPage {
        try await access.users(query, gateway: try await accessGateway(connection: connection, actor: actor))
    }

    /// The user whose username or email is `identity`.
    package func user(connection: String, identity: String, actor: String) async throws -> SiteUser {
        try await access.user(identity, gateway: try await accessGateway(connection: connection, actor: actor))
    }

    /// Sets a user's site role (audited as "users.site_role_set").
    package func setSiteRole(connection: String, user: String, role: String, actor: String) async throws -> SiteRoleChange {
        try await access.setSiteRole(
            connection: connection, user: user, role: role, actor: actor, gateway: try await accessGateway(connection: connection, actor: actor)
        )
    }

    /// Recorded access events, newest first (`connection` by name or id).
    package func accessEvents(connection: String? = nil, user: String? = nil, limit: Int = 100) async throws -> [AccessEventRecord] {
        let connectionId = try await connection.asyncMap { try await access.connection($0).id }
        return try await access.recordedEvents(AccessEventQuery(connectionId: connectionId, user: user, limit: limit))
    }
}

extension Optional {
    fileprivate func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}
