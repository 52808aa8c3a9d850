public import Foundation

/// A pipeline event as the API (`POST`/`GET /api/v1/pipeline-events`) and the CLI show it.
public struct PipelineEventView: Sendable, Equatable, Codable {
    /// One item the event applies to.
    public struct Item: Sendable, Equatable, Codable {
        /// "datasource" or "workbook".
        public var itemType: String
        public var itemId: String
        public var itemName: String
        public var project: String?
    }

    public var eventId: String
    public var connectionId: String
    public var pipeline: String
    /// "failed" or "succeeded".
    public var status: String
    public var reason: String?
    /// What the pipeline named, as written ("table warehouse.public.orders").
    public var targets: [String]
    public var actor: String
    public var receivedAt: Date
    public var items: [Item]

    public init(_ event: PipelineEvent) {
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
public struct PipelineEventAnswer: Sendable, Equatable, Codable {
    public var event: PipelineEventView
    /// True when the event id was seen before (the first event is answered; nothing changed).
    public var repeated: Bool

    public init(event: PipelineEventView, repeated: Bool) {
        self.event = event
        self.repeated = repeated
    }
}
