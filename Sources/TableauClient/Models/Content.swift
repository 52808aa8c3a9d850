public import Foundation

/// A project.
public struct Project: Sendable, Equatable {
    public var id: String
    public var name: String
    public var description: String
    public var parentProjectId: String?
    public var ownerId: String?

    init?(json: JSONValue) {
        guard let id = json["id"]?.string, let name = json["name"]?.string else { return nil }
        self.id = id
        self.name = name
        description = json["description"]?.string ?? ""
        parentProjectId = json["parentProjectId"]?.string
        ownerId = json.at("owner.id")?.string
    }
}

/// What a refresh targets: a workbook or a published data source.
public enum ContentType: String, Sendable, Equatable, Codable {
    case workbook
    case datasource

    /// The REST path segment: `workbooks` or `datasources`.
    public var pathSegment: String { rawValue + "s" }
}

/// A workbook or a published data source, as the list and get calls return them.
public struct ContentItem: Sendable, Equatable {
    public var type: ContentType
    public var id: String
    public var name: String
    public var contentUrl: String
    public var projectId: String?
    public var projectName: String?
    public var ownerId: String?
    /// Whether the item holds an extract (only those can be refreshed).
    public var hasExtracts: Bool
    /// A data source's connection type (`hyper`, `postgres`…); nil for workbooks.
    public var connectionType: String?
    public var tags: [String]
    public var createdAt: Date?
    public var updatedAt: Date?
    public var webpageUrl: String?

    init?(json: JSONValue, type: ContentType) {
        guard let id = json["id"]?.string, let name = json["name"]?.string else { return nil }
        self.type = type
        self.id = id
        self.name = name
        contentUrl = json["contentUrl"]?.string ?? ""
        projectId = json.at("project.id")?.string
        projectName = json.at("project.name")?.string
        ownerId = json.at("owner.id")?.string
        hasExtracts = json["hasExtracts"]?.bool ?? false
        connectionType = type == .datasource ? json["type"]?.string : nil
        tags = json.list("tags", "tag").compactMap { $0["label"]?.string }
        createdAt = json["createdAt"]?.date
        updatedAt = json["updatedAt"]?.date
        webpageUrl = json["webpageUrl"]?.string
    }
}

/// A site.
public struct Site: Sendable, Equatable {
    public var id: String
    public var name: String
    public var contentUrl: String
    public var state: String?

    init?(json: JSONValue) {
        guard let id = json["id"]?.string else { return nil }
        self.id = id
        name = json["name"]?.string ?? ""
        contentUrl = json["contentUrl"]?.string ?? ""
        state = json["state"]?.string
    }
}

/// A user of the site.
public struct User: Sendable, Equatable {
    public var id: String
    public var name: String
    public var fullName: String?
    public var email: String?
    public var siteRole: String
    public var authSetting: String?
    public var lastLogin: Date?

    init?(json: JSONValue, id fallbackId: String? = nil) {
        guard let id = json["id"]?.string ?? fallbackId, let name = json["name"]?.string else { return nil }
        self.id = id
        self.name = name
        fullName = json["fullName"]?.string
        email = json["email"]?.string.flatMap { $0.isEmpty ? nil : $0 }
        siteRole = json["siteRole"]?.string ?? ""
        authSetting = json["authSetting"]?.string
        lastLogin = json["lastLogin"]?.date
    }
}

/// A scheduled extract-refresh task.
public struct RefreshTask: Sendable, Equatable {
    public var id: String
    public var target: ContentType?
    public var targetId: String?
    public var type: String?
    public var priority: Int?
    public var consecutiveFailedCount: Int?
    public var scheduleFrequency: String?
    public var nextRunAt: Date?

    init?(json: JSONValue) {
        let refresh = json["extractRefresh"] ?? json
        guard let id = refresh["id"]?.string else { return nil }
        self.id = id
        if let ds = refresh.at("datasource.id")?.string {
            target = .datasource
            targetId = ds
        } else if let wb = refresh.at("workbook.id")?.string {
            target = .workbook
            targetId = wb
        }
        type = refresh["type"]?.string
        priority = refresh["priority"]?.int
        consecutiveFailedCount = refresh["consecutiveFailedCount"]?.int
        scheduleFrequency = refresh.at("schedule.frequency")?.string
        nextRunAt = refresh.at("schedule.nextRunAt")?.date
    }
}

/// A webhook.
public struct Webhook: Sendable, Equatable {
    public var id: String
    public var name: String
    public var event: String?
    public var url: String?
    public var isEnabled: Bool

    init?(json: JSONValue) {
        guard let id = json["id"]?.string else { return nil }
        self.id = id
        name = json["name"]?.string ?? ""
        // The older spelling names the event as the `webhook-source` child's element name.
        if let event = json["event"]?.string {
            self.event = event
        } else if case .object(let source)? = json["webhook-source"] {
            event = source.keys.first
        } else {
            event = nil
        }
        url = json.at("webhook-destination.webhook-destination-http.url")?.string
        isEnabled = json["isEnabled"]?.bool ?? true
    }
}
