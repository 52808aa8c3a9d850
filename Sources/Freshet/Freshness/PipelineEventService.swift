package import Foundation

/// Why a pipeline event was refused.
package enum PipelineEventError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Bad input (400).
    case invalid(String)
    /// The event's id was used for a different event (422).
    case conflict(String)

    package var description: String {
        switch self {
        case .invalid(let message), .conflict(let message): message
        }
    }
}

/// Records pipeline events: resolves what the pipeline names to items (through the engine's
/// resolution: tables via lineage, names, projects), applies the event to their freshness once
/// per event id, and audits it ("pipeline.failed" / "pipeline.succeeded"). Nothing is refreshed.
package struct PipelineEventService: Sendable {
    let store: any PipelineEventStore
    let audit: any AuditStore
    let engine: RefreshEngine
    let now: @Sendable () -> Date

    package init(store: any PipelineEventStore, audit: any AuditStore, engine: RefreshEngine, now: @escaping @Sendable () -> Date = { Date() }) {
        self.store = store
        self.audit = audit
        self.engine = engine
        self.now = now
    }

    /// Records the event; `authorize` sees each resolved item and returns why the caller may not
    /// name it, or nil. Returns the stored event and whether its id had been seen before.
    package func record(
        eventId: String, connection: String, pipeline: String, status: PipelineEvent.Status, reason: String?, targets: [RefreshTarget], actor: String,
        authorize: @Sendable (Connection, RefreshableItem) -> String? = { _, _ in nil }
    ) async throws -> (event: PipelineEvent, repeated: Bool) {
        guard !eventId.isEmpty, eventId.unicodeScalars.count <= 200 else { throw PipelineEventError.invalid("The event id must be 1 to 200 characters") }
        guard !pipeline.isEmpty, pipeline.unicodeScalars.count <= 200 else { throw PipelineEventError.invalid("The pipeline name must be 1 to 200 characters") }
        guard !targets.isEmpty else { throw PipelineEventError.invalid("Name at least one table or target downstream of the pipeline") }
        let (resolvedConnection, items) = try await engine.resolveItems(targets, connection: connection)
        let refusals = items.compactMap { authorize(resolvedConnection, $0) }
        if !refusals.isEmpty { throw RefreshRequestError.forbidden(refusals) }
        let event = PipelineEvent(
            eventId: eventId, connectionId: resolvedConnection.id, pipeline: pipeline, status: status, reason: reason.map { String($0.prefix(2000)) },
            targets: targets.map(\.description), actor: actor, receivedAt: now(),
            items: items.map { PipelineItem(item: $0.item, projectName: $0.projectName) })
        let recorded = try await store.recordPipelineEvent(event)
        if recorded.repeated {
            let first = recorded.event
            guard first.pipeline == event.pipeline, first.status == event.status, first.targets == event.targets else {
                throw PipelineEventError.conflict("The event id \(eventId) was already used for another event")
            }
            return recorded
        }
        var details = ["pipeline": pipeline, "connection": resolvedConnection.name, "items": String(items.count), "targets": event.targets.joined(separator: ", ")]
        if let reason = event.reason { details["reason"] = reason }
        try await audit.append(
            AuditEvent(
                time: event.receivedAt, actor: actor, action: "pipeline.\(status.rawValue)", target: eventId, outcome: status == .failed ? "failure" : "success",
                details: details))
        return recorded
    }
}
