package import Foundation

/// A pipeline's report of its own run: failed (the items downstream of what it names are stale
/// until it reports success) or succeeded (clears that mark). Nothing is refreshed.
package struct PipelineEvent: Sendable, Equatable, Codable {
    package enum Status: String, Sendable, Equatable, Codable {
        case failed, succeeded
    }

    /// The caller's id for the event: repeating it returns the first outcome (per connection).
    package var eventId: String
    package var connectionId: String
    /// The pipeline's name ("nightly_orders").
    package var pipeline: String
    package var status: Status
    /// Why it failed, in the pipeline's words.
    package var reason: String?
    /// What it named, as written ("table warehouse.public.orders", "datasource Sales").
    package var targets: [String]
    package var actor: String
    package var receivedAt: Date
    /// The items it applies to (downstream of its tables, or the items it named).
    package var items: [PipelineItem]

    package init(
        eventId: String, connectionId: String, pipeline: String, status: Status, reason: String?, targets: [String], actor: String, receivedAt: Date,
        items: [PipelineItem]
    ) {
        self.eventId = eventId
        self.connectionId = connectionId
        self.pipeline = pipeline
        self.status = status
        self.reason = reason
        self.targets = targets
        self.actor = actor
        self.receivedAt = receivedAt
        self.items = items
    }
}

/// One item a pipeline event applies to.
package struct PipelineItem: Sendable, Equatable, Codable {
    package var item: RunItem
    package var projectName: String?

    package init(item: RunItem, projectName: String?) {
        self.item = item
        self.projectName = projectName
    }
}

/// A pipeline's failure as an item's freshness keeps it (cleared by the pipeline's success).
package struct PipelineFailure: Sendable, Equatable, Codable {
    package var pipeline: String
    package var eventId: String
    package var at: Date
    package var reason: String?

    package init(pipeline: String, eventId: String, at: Date, reason: String?) {
        self.pipeline = pipeline
        self.eventId = eventId
        self.at = at
        self.reason = reason
    }
}

/// Pipeline events, stored once per connection and event id.
package protocol PipelineEventStore: Sendable {
    /// Applies `event` to its items' freshness (a failure marks each with ``PipelineFailure``,
    /// creating records for items not yet tracked; a success clears the marks of the same
    /// pipeline) and stores it, in one transaction — unless the connection already has an event
    /// with its id: then nothing changes and that event is returned with `repeated` true.
    func recordPipelineEvent(_ event: PipelineEvent) async throws -> (event: PipelineEvent, repeated: Bool)
    /// Recent events of a connection (or all), newest first.
    func pipelineEvents(connectionId: String?, limit: Int) async throws -> [PipelineEvent]
}

extension ItemFreshness {
    /// `existing` (or a new record for `item`) after pipeline `event`.
    package static func applying(_ event: PipelineEvent, to item: PipelineItem, onto existing: ItemFreshness?) -> ItemFreshness? {
        var record = existing ?? ItemFreshness(connectionId: event.connectionId, item: item.item, projectName: item.projectName, updatedAt: event.receivedAt)
        switch event.status {
        case .failed:
            record.pipelineFailure = PipelineFailure(pipeline: event.pipeline, eventId: event.eventId, at: event.receivedAt, reason: event.reason)
        case .succeeded:
            guard existing != nil, record.pipelineFailure?.pipeline == event.pipeline else { return nil }
            record.pipelineFailure = nil
        }
        if let project = item.projectName { record.projectName = project }
        record.updatedAt = event.receivedAt
        return record
    }
}
