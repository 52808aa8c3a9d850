import Foundation

/// Adds, edits, removes, lists and checks connections; every change is audited (field names
/// only, never secret values).
public struct ConnectionService: Sendable {
    let store: any ConnectionStore
    let sessions: any SessionStore
    let audit: any AuditStore
    let keyring: Keyring
    let now: @Sendable () -> Date

    public init(
        store: any ConnectionStore, sessions: any SessionStore, audit: any AuditStore, keyring: Keyring,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.store = store
        self.sessions = sessions
        self.audit = audit
        self.keyring = keyring
        self.now = now
    }

    /// Fields whose change makes the shared Tableau session stale.
    static let sessionFields: Set<String> = [
        "server", "siteContentUrl", "patName", "patSecret", "clientId", "secretId", "secretValue", "username", "scopes", "apiVersionPin",
    ]

    public func add(_ draft: ConnectionDraft, actor: String) async throws -> ConnectionView {
        let (connection, secret) = try draft.validatedForAdd(now: now())
        if try await store.connection(named: connection.name) != nil { throw StoreError.duplicateName(connection.name) }
        try await store.insert(StoredConnection(connection: connection, sealedSecret: try keyring.seal(secret)))
        try await audit.append(
            AuditEvent(time: now(), actor: actor, action: "connection.created", target: connection.name, outcome: "success", details: [
                "server": connection.server.host, "site": connection.siteContentUrl, "auth": connection.auth.kind,
            ])
        )
        return ConnectionView(connection, secret: secret)
    }

    public func edit(named name: String, with draft: ConnectionDraft, actor: String) async throws -> ConnectionView {
        guard let stored = try await store.connection(named: name) else { throw StoreError.notFound(name) }
        let (edited, newSecret, changed) = try draft.applied(to: stored.connection, now: now())
        try await store.update(edited, sealedSecret: try newSecret.map { secret throws(SecretError) in try keyring.seal(secret) })
        if changed.contains(where: Self.sessionFields.contains) {
            // The shared Tableau session belonged to the old settings.
            try await sessions.deleteSession(connectionId: edited.id, sealedToken: nil)
        }
        try await audit.append(
            AuditEvent(time: now(), actor: actor, action: "connection.edited", target: name, outcome: "success", details: [
                "fields": changed.isEmpty ? "(none)" : changed.joined(separator: ","),
            ])
        )
        return ConnectionView(edited, secret: try newSecret ?? keyring.open(stored.sealedSecret))
    }

    public func remove(named name: String, actor: String) async throws {
        guard let stored = try await store.connection(named: name) else { throw StoreError.notFound(name) }
        _ = try await store.delete(id: stored.connection.id)
        try await audit.append(AuditEvent(time: now(), actor: actor, action: "connection.removed", target: name, outcome: "success"))
    }

    public func list() async throws -> [ConnectionView] {
        try await store.connections().map { stored in ConnectionView(stored.connection, secret: try keyring.open(stored.sealedSecret)) }
    }

    public func show(named name: String) async throws -> ConnectionView {
        guard let stored = try await store.connection(named: name) else { throw StoreError.notFound(name) }
        return ConnectionView(stored.connection, secret: try keyring.open(stored.sealedSecret))
    }

    /// The connection and its opened secret, for signing in.
    public func credentials(named name: String) async throws -> (Connection, secret: String) {
        guard let stored = try await store.connection(named: name) else { throw StoreError.notFound(name) }
        return (stored.connection, try keyring.open(stored.sealedSecret))
    }

    /// Runs the four health checks and audits the outcome.
    public func check(named name: String, gateway: any HealthCheckGateway, actor: String) async throws -> [HealthCheckResult] {
        guard try await store.connection(named: name) != nil else { throw StoreError.notFound(name) }
        let results = await HealthChecker(gateway: gateway).runAll()
        var details: [String: String] = [:]
        for result in results { details[result.check.rawValue] = result.passed ? "passed" : "failed" }
        try await audit.append(
            AuditEvent(
                time: now(), actor: actor, action: "connection.checked", target: name,
                outcome: results.allSatisfy { $0.passed } ? "success" : "failure", details: details
            )
        )
        return results
    }
}
