package import Foundation

/// Adds, edits, removes, lists and checks connections; every change is audited (field names
/// only, never secret values).
package struct ConnectionService: Sendable {
    let store: any ConnectionStore
    let sessions: any SessionStore
    let audit: any AuditStore
    let keyring: Keyring
    let lifetimes: (any CredentialLifetimeStore)?
    let now: @Sendable () -> Date

    package init(
        store: any ConnectionStore, sessions: any SessionStore, audit: any AuditStore, keyring: Keyring,
        lifetimes: (any CredentialLifetimeStore)? = nil, now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.store = store
        self.sessions = sessions
        self.audit = audit
        self.keyring = keyring
        self.lifetimes = lifetimes
        self.now = now
    }

    /// Fields whose change makes the shared Tableau session stale.
    static let sessionFields: Set<String> = [
        "server", "siteContentUrl", "patName", "patSecret", "clientId", "secretId", "secretValue", "username", "scopes", "apiVersionPin",
        "patSecretRef", "secretValueRef",
    ]

    package func add(_ draft: ConnectionDraft, actor: String) async throws -> ConnectionView {
        let (connection, secret) = try draft.validatedForAdd(now: now())
        if try await store.connection(named: connection.name) != nil { throw StoreError.duplicateName(connection.name) }
        try await store.insert(StoredConnection(connection: connection, sealedSecret: try secret.map { s throws(SecretError) in try keyring.seal(s) } ?? ""))
        var details = ["server": connection.server.host, "site": connection.siteContentUrl, "auth": connection.auth.kind]
        if let reference = connection.secretReference { details["secretRef"] = reference.description }
        if let days = connection.keepAliveDays { details["keepAliveDays"] = String(days) }
        try await audit.append(
            AuditEvent(time: now(), actor: actor, action: "connection.created", target: connection.name, outcome: "success", details: details)
        )
        return ConnectionView(connection, secret: secret)
    }

    package func edit(named name: String, with draft: ConnectionDraft, actor: String) async throws -> ConnectionView {
        guard let stored = try await store.connection(named: name) else { throw StoreError.notFound(name) }
        let (edited, newSecret, changed) = try draft.applied(to: stored.connection, now: now())
        // A reference replaces the sealed secret: nothing stale is kept.
        let cleared: String? = edited.secretReference != nil && stored.connection.secretReference == nil ? "" : nil
        try await store.update(edited, sealedSecret: try newSecret.map { secret throws(SecretError) in try keyring.seal(secret) } ?? cleared)
        if changed.contains(where: Self.sessionFields.contains) {
            // The shared Tableau session belonged to the old settings.
            try await sessions.deleteSession(connectionId: edited.id, sealedToken: nil)
        }
        try await audit.append(
            AuditEvent(time: now(), actor: actor, action: "connection.edited", target: name, outcome: "success", details: [
                "fields": changed.isEmpty ? "(none)" : changed.joined(separator: ","),
            ])
        )
        return ConnectionView(edited, secret: try newSecret ?? opened(StoredConnection(connection: edited, sealedSecret: stored.sealedSecret)))
    }

    package func remove(named name: String, actor: String) async throws {
        guard let stored = try await store.connection(named: name) else { throw StoreError.notFound(name) }
        _ = try await store.delete(id: stored.connection.id)
        try await audit.append(AuditEvent(time: now(), actor: actor, action: "connection.removed", target: name, outcome: "success"))
    }

    package func list() async throws -> [ConnectionView] {
        let lifetimes = try await lifetimesById()
        return try await store.connections().map { stored in
            ConnectionView(stored.connection, secret: try opened(stored), lifetime: lifetimes[stored.connection.id])
        }
    }

    package func show(named name: String) async throws -> ConnectionView {
        guard let stored = try await store.connection(named: name) else { throw StoreError.notFound(name) }
        return ConnectionView(stored.connection, secret: try opened(stored), lifetime: try await lifetimes?.credentialLifetime(connectionId: stored.connection.id))
    }

    /// The connection and its opened secret (nil when it is read from ``Connection/secretReference``), for signing in.
    package func credentials(named name: String) async throws -> (Connection, secret: String?) {
        guard let stored = try await store.connection(named: name) else { throw StoreError.notFound(name) }
        return (stored.connection, try opened(stored))
    }

    /// The stored secret opened, or nil for a connection that reads it from a reference.
    func opened(_ stored: StoredConnection) throws(SecretError) -> String? {
        guard stored.connection.secretReference == nil, !stored.sealedSecret.isEmpty else { return nil }
        return try keyring.open(stored.sealedSecret)
    }

    private func lifetimesById() async throws -> [String: CredentialLifetime] {
        guard let lifetimes else { return [:] }
        return Dictionary(try await lifetimes.credentialLifetimes().map { ($0.connectionId, $0) }, uniquingKeysWith: { a, _ in a })
    }

    /// Runs the five health checks and audits the outcome.
    package func check(named name: String, gateway: any HealthCheckGateway, actor: String) async throws -> [HealthCheckResult] {
        guard let stored = try await store.connection(named: name) else { throw StoreError.notFound(name) }
        let lifetimeCheck = lifetimes.map { lifetimes in
            TokenLifetimeCheck(connection: stored.connection, now: now) { try await lifetimes.credentialLifetime(connectionId: stored.connection.id) }
        }
        let results = await HealthChecker(gateway: gateway, lifetime: lifetimeCheck).runAll()
        var details: [String: String] = [:]
        for result in results { details[result.check.rawValue] = result.passed ? (result.warning ? "warning" : "passed") : "failed" }
        try await audit.append(
            AuditEvent(
                time: now(), actor: actor, action: "connection.checked", target: name,
                outcome: results.allSatisfy { $0.passed } ? "success" : "failure", details: details
            )
        )
        return results
    }
}
