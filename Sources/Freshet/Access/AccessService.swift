package import Foundation

/// Access events (provision on `granted`, deprovision on `revoked`) and user management, with
/// DESIGN.md's rules, idempotency by event id, a record of every outcome and an audit entry for
/// every event and role change.
package struct AccessService: Sendable {
    let events: any AccessEventStore
    let connections: any ConnectionStore
    let audit: any AuditStore
    let now: @Sendable () -> Date
    /// How long one delivery holds an event before another may take it over (a crashed process).
    let claimDuration: TimeInterval

    package init(
        events: any AccessEventStore, connections: any ConnectionStore, audit: any AuditStore, claimDuration: TimeInterval = 300,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.events = events
        self.connections = connections
        self.audit = audit
        self.claimDuration = claimDuration
        self.now = now
    }

    /// The stored connection called `nameOrId` (name first, then id).
    package func connection(_ nameOrId: String) async throws -> Connection {
        if let stored = try await connections.connection(named: nameOrId) { return stored.connection }
        if let stored = try await connections.connection(id: nameOrId) { return stored.connection }
        throw AccessError.connectionNotFound(nameOrId)
    }

    /// Handles one delivery of an access event. A repeated event id returns the first outcome
    /// (``AccessEventResult/repeated``) without calling Tableau; concurrent deliveries of one id
    /// make at most one Tableau change (the others see it `pending`). Throws ``AccessError``
    /// only for an incomplete event or an unknown connection (nothing is recorded then); every
    /// other outcome — refused included — is recorded, audited and returned.
    package func handle(_ event: AccessEvent, actor: String, gateway: any AccessGateway) async throws -> AccessEventResult {
        let event = try event.validated()
        let connection = try await connection(event.connection)
        let holder = UUID().uuidString
        let received = now()
        let pending = AccessEventRecord(
            connectionId: connection.id, connectionName: connection.name, eventId: event.eventId, type: event.type, user: event.user,
            role: event.role, actor: actor, receivedAt: received
        )
        let claim = try await events.claimAccessEvent(pending, holder: holder, claimUntil: received + claimDuration, now: received)
        var record: AccessEventRecord
        switch claim {
        case .existing(let existing):
            try await auditEvent(existing, actor: actor, repeated: true)
            return AccessEventResult(record: existing, repeated: true)
        case .claimed(let claimed):
            record = claimed
        }
        record.actor = actor
        await apply(to: &record, gateway: gateway)
        record.completedAt = now()
        _ = try await events.completeAccessEvent(record, holder: holder)
        // As stored (a store may round times), so a repeated delivery returns an equal record.
        record = try await events.accessEvent(connectionId: record.connectionId, eventId: record.eventId) ?? record
        try await auditEvent(record, actor: actor, repeated: false)
        return AccessEventResult(record: record, repeated: false)
    }

    /// Runs the rules and, when they say so, changes the site role; fills in the outcome.
    func apply(to record: inout AccessEventRecord, gateway: any AccessGateway) async {
        if let refusal = AccessRules.checkRole(record.role) {
            return Self.finish(&record, .refused, refusal.description)
        }
        let user: SiteUser?
        do throws(GatewayError) {
            user = try await gateway.user(identifiedBy: record.user)
        } catch {
            return Self.fail(&record, error)
        }
        record.userId = user?.id
        record.previousRole = user?.siteRole
        switch AccessRules.decide(record.type, role: record.role, identity: record.user, user: user) {
        case .refuse(let error):
            Self.finish(&record, .refused, error.description)
        case .unchanged(let reason):
            record.newRole = user?.siteRole
            Self.finish(&record, .unchanged, reason)
        case .setRole(let role):
            guard let user else { return Self.finish(&record, .refused, AccessError.userNotOnSite(record.user).description) }
            do throws(GatewayError) {
                let updated = try await gateway.setSiteRole(userId: user.id, role: role)
                record.newRole = updated.siteRole.isEmpty ? role : updated.siteRole
                Self.finish(&record, .applied, "Site role of \(user.name) changed from \(user.siteRole) to \(role).")
            } catch {
                Self.fail(&record, error)
            }
        }
    }

    static func finish(_ record: inout AccessEventRecord, _ status: AccessEventStatus, _ message: String) {
        record.status = status
        record.message = message
    }

    /// Transient (unreachable, 429, 5xx): failed, and a redelivery retries; anything else Tableau said: refused.
    static func fail(_ record: inout AccessEventRecord, _ error: GatewayError) {
        let mapped = AccessError.userManagement(error)
        finish(&record, error.isTransient ? .failed : .refused, mapped.description)
    }

    func auditEvent(_ record: AccessEventRecord, actor: String, repeated: Bool) async throws {
        var details = [
            "connection": record.connectionName, "eventId": record.eventId, "role": record.role, "status": record.status.rawValue,
            "message": String(record.message.prefix(500)),
        ]
        if repeated { details["repeated"] = "true" }
        if let previous = record.previousRole { details["previousRole"] = previous }
        if let new = record.newRole { details["newRole"] = new }
        let outcome = record.status == .refused || record.status == .failed ? "failure" : "success"
        try await audit.append(
            AuditEvent(time: now(), actor: actor, action: "access.\(record.type.rawValue)", target: record.user, outcome: outcome, details: details)
        )
    }

    /// The recorded outcome of `eventId` on a connection (name or id).
    package func recordedEvent(connection: String, eventId: String) async throws -> AccessEventRecord? {
        try await events.accessEvent(connectionId: try await self.connection(connection).id, eventId: eventId)
    }

    /// Recorded events, newest first.
    package func recordedEvents(_ query: AccessEventQuery) async throws -> [AccessEventRecord] {
        try await events.accessEvents(query)
    }
}
