package import Foundation

/// The reference implementation of the store protocols, in memory (tests, dry runs).
package actor InMemoryStore: ConnectionStore, SessionStore, AuditStore {
    private var connectionsById: [String: StoredConnection] = [:]
    private var sessions: [String: StoredSession] = [:]
    private var leases: [String: (holder: String, until: Date)] = [:]
    private var log: [AuditEvent] = []
    /// Refresh runs by id (see InMemoryStore+Runs.swift).
    var runsById: [String: Run] = [:]
    /// Holds Tableau put on connections' sites, by connection id.
    var siteHolds: [String: SiteHold] = [:]
    /// Idempotency keys of requests that joined an active run, and that run's id.
    var joinedKeys: [RunKey: String] = [:]
    /// Fingerprints of requests stored whole, by connection and key.
    var requestFingerprints: [RunKey: String] = [:]
    /// API tokens by id (see InMemoryStore+Tokens.swift).
    var tokensById: [String: APIToken] = [:]
    /// Credential lifetimes by connection id (see InMemoryStore+Lifetimes.swift).
    var lifetimesById: [String: CredentialLifetime] = [:]
    /// Freshness per item and freshness policies by scope id (see InMemoryStore+Freshness.swift).
    var freshnessByKey: [FreshnessKey: ItemFreshness] = [:]
    var freshnessPoliciesById: [String: FreshnessPolicy] = [:]
    /// Alert routes by id, and the outbox's deliveries by id with their leases (see InMemoryStore+Alerts.swift).
    var alertRoutesById: [String: AlertRoute] = [:]
    var alertDeliveriesById: [String: AlertDelivery] = [:]
    var alertLeases: [String: (holder: String, until: Date)] = [:]
    /// Pipeline events by connection and event id, in arrival order.
    var pipelineEventsByKey: [RunKey: PipelineEvent] = [:]
    var pipelineEventOrder: [RunKey] = []
    /// Connections with data quality warnings on, and the warnings Freshet set (by connection and data source).
    var warningConnectionIds: Set<String> = []
    var freshetWarningsByKey: [RunKey: FreshetWarning] = [:]

    package init() {}

    package func insert(_ stored: StoredConnection) throws {
        guard !connectionsById.values.contains(where: { $0.connection.name == stored.connection.name }) else {
            throw StoreError.duplicateName(stored.connection.name)
        }
        connectionsById[stored.connection.id] = stored
    }

    package func update(_ connection: Connection, sealedSecret: String?) throws {
        guard var stored = connectionsById[connection.id] else { throw StoreError.notFound(connection.name) }
        guard !connectionsById.values.contains(where: { $0.connection.name == connection.name && $0.connection.id != connection.id }) else {
            throw StoreError.duplicateName(connection.name)
        }
        stored.connection = connection
        if let sealedSecret { stored.sealedSecret = sealedSecret }
        connectionsById[connection.id] = stored
    }

    package func connection(named name: String) -> StoredConnection? {
        connectionsById.values.first { $0.connection.name == name }
    }

    package func connection(id: String) -> StoredConnection? { connectionsById[id] }

    package func connections() -> [StoredConnection] {
        connectionsById.values.sorted { $0.connection.name < $1.connection.name }
    }

    package func delete(id: String) -> Bool {
        sessions[id] = nil
        lifetimesById[id] = nil
        return connectionsById.removeValue(forKey: id) != nil
    }

    package func resealAll(_ transform: @Sendable (String) throws -> String) throws -> Int {
        var newConnections = connectionsById
        var newSessions = sessions
        var count = 0
        for (id, stored) in connectionsById where !stored.sealedSecret.isEmpty {
            newConnections[id]?.sealedSecret = try transform(stored.sealedSecret)
            count += 1
        }
        for (id, session) in sessions { newSessions[id]?.sealedToken = try transform(session.sealedToken) }
        let newRoutes = try resealedAlertRoutes(transform)
        connectionsById = newConnections
        sessions = newSessions
        alertRoutesById = newRoutes
        return count + sessions.count + alertRoutesById.count
    }

    package func sealingKeyIds() -> Set<String> {
        let routes = alertRoutesById.values.flatMap { [$0.sealedURL] + ($0.sealedSecret.map { [$0] } ?? []) }
        return Set((connectionsById.values.map(\.sealedSecret) + sessions.values.map(\.sealedToken) + routes).compactMap(Keyring.keyId(of:)))
    }

    package func session(connectionId: String) -> StoredSession? { sessions[connectionId] }

    package func save(_ session: StoredSession) throws {
        guard connectionsById[session.connectionId] != nil else {
            throw StoreError(.notFound, "No connection with id \(session.connectionId) to keep a session for")
        }
        sessions[session.connectionId] = session
    }

    package func deleteSession(connectionId: String, sealedToken: String?) {
        guard let current = sessions[connectionId] else { return }
        if let sealedToken, current.sealedToken != sealedToken { return }
        sessions[connectionId] = nil
    }

    package func acquireLease(_ name: String, holder: String, until: Date, now: Date) -> Bool {
        if let lease = leases[name], lease.holder != holder, lease.until > now { return false }
        leases[name] = (holder, until)
        return true
    }

    package func releaseLease(_ name: String, holder: String) {
        if leases[name]?.holder == holder { leases[name] = nil }
    }

    package func append(_ event: AuditEvent) {
        var event = event
        event.sequence = Int64(log.count + 1)
        log.append(event)
    }

    package func events(_ query: AuditQuery) -> [AuditEvent] {
        log.reversed().filter { event in
            (query.actor.map { $0 == event.actor } ?? true)
                && (query.action.map { $0.hasSuffix(".") ? event.action.hasPrefix($0) : event.action == $0 } ?? true)
                && (query.target.map { $0 == event.target } ?? true)
                && (query.outcome.map { $0 == event.outcome } ?? true)
                && (query.since.map { event.time >= $0 } ?? true)
                && (query.until.map { event.time <= $0 } ?? true)
                && (query.before.map { (event.sequence ?? 0) < $0 } ?? true)
        }.prefix(query.limit).map { $0 }
    }
}

/// A connection's idempotency key.
struct RunKey: Hashable {
    var connectionId: String
    var key: String
}
