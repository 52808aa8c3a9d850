package import Foundation

/// A pipeline event as the API (`POST`/`GET /api/v1/pipeline-events`) and the CLI show it.
package struct PipelineEventView: Sendable, Equatable, Codable {
    /// One item the event applies to.
    package struct Item: Sendable, Equatable, Codable {
        /// "datasource" or "workbook".
        package var itemType: String
        package var itemId: String
        package var itemName: String
        package var project: String?
    }

    package var eventId: String
    package var connectionId: String
    package var pipeline: String
    /// "failed" or "succeeded".
    package var status: String
    package var reason: String?
    /// What the pipeline named, as written ("table warehouse.public.orders").
    package var targets: [String]
    package var actor: String
    package var receivedAt: Date
    package var items: [Item]

    package init(_ event: PipelineEvent) {
        eventId = event.eventId
        connectionId = event.connectionId
        pipeline = event.pipeline
        status = event.status.rawValue
        reason = event.reason
        targets = event.targets
        actor = event.actor
        receivedAt = event.receivedAt
        items = event.items.map { Item(itemType: $0.item.contentType.rawValue, itemId: $0.item.tableauId, itemName: $0.item.name, project: $0.projectName) }
    }
}

/// The answer to a reported pipeline event: the stored event (the first one when its id was
/// seen before) and whether it was a repeat.
package struct PipelineEventAnswer: Sendable, Equatable, Codable {
    package var event: PipelineEventView
    /// True when the event id was seen before (the first event is answered; nothing changed).
    package var repeated: Bool

    package init(event: PipelineEventView, repeated: Bool) {
        self.event = event
        self.repeated = repeated
    }
}
