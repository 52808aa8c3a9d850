import Foundation

/// How a refresh of an item behaves in the emulator (from the seed's `refresh` object).
public struct RefreshBehaviour: Codable, Sendable, Equatable {
    /// What a refresh attempt ends in.
    public enum Outcome: String, Codable, Sendable {
        case success
        case failure
        /// The job stays in progress until it is cancelled.
        case hang
    }

    /// Seconds from start to completion.
    public var durationSeconds: Double
    /// Seconds a job stays Pending before it starts (when a backgrounder is free).
    public var queueSeconds: Double
    /// Outcome of every attempt, unless ``outcomes`` is given.
    public var outcome: Outcome
    /// Outcomes of successive attempts; the last one repeats.
    public var outcomes: [Outcome]?
    /// Notes a failed job carries.
    public var notes: String

    public init(
        durationSeconds: Double = 2, queueSeconds: Double = 0, outcome: Outcome = .success, outcomes: [Outcome]? = nil,
        notes: String? = nil
    ) {
        self.durationSeconds = durationSeconds
        self.queueSeconds = queueSeconds
        self.outcome = outcome
        self.outcomes = outcomes
        self.notes = notes ?? Self.defaultNotes
    }

    static let defaultNotes =
        "com.tableausoftware.nativeapi.dll.DataSourceException: [Microsoft][ODBC Driver 17 for SQL Server]Login failed for user 'etl'. Unable to connect to the server. Check that the server is running and that you have access privileges to the requested database."

    enum CodingKeys: String, CodingKey {
        case durationSeconds, queueSeconds, outcome, outcomes, notes
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        durationSeconds = try container.decodeIfPresent(Double.self, forKey: .durationSeconds) ?? 2
        queueSeconds = try container.decodeIfPresent(Double.self, forKey: .queueSeconds) ?? 0
        outcome = try container.decodeIfPresent(Outcome.self, forKey: .outcome) ?? .success
        outcomes = try container.decodeIfPresent([Outcome].self, forKey: .outcomes)
        notes = try container.decodeIfPresent(String.self, forKey: .notes) ?? Self.defaultNotes
    }

    /// The outcome of attempt number `attempt` (0-based).
    func outcome(forAttempt attempt: Int) -> Outcome {
        guard let outcomes, !outcomes.isEmpty else { return outcome }
        return outcomes[min(attempt, outcomes.count - 1)]
    }
}

/// Usage counters reported by the usage-stats endpoints.
public struct UsageCounts: Codable, Sendable, Equatable {
    public var hitsTotal: Int = 0
    public var hitsLastTwoWeeksTotal: Int = 0
    public var hitsLastOneMonthTotal: Int = 0
    public var hitsLastThreeMonthsTotal: Int = 0
    public var hitsLastTwelveMonthsTotal: Int = 0

    public init() {}

    enum CodingKeys: String, CodingKey {
        case hitsTotal, hitsLastTwoWeeksTotal, hitsLastOneMonthTotal, hitsLastThreeMonthsTotal, hitsLastTwelveMonthsTotal
    }

    /// Absent counters are 0.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        hitsTotal = try c.decodeIfPresent(Int.self, forKey: .hitsTotal) ?? 0
        hitsLastTwoWeeksTotal = try c.decodeIfPresent(Int.self, forKey: .hitsLastTwoWeeksTotal) ?? 0
        hitsLastOneMonthTotal = try c.decodeIfPresent(Int.self, forKey: .hitsLastOneMonthTotal) ?? 0
        hitsLastThreeMonthsTotal = try c.decodeIfPresent(Int.self, forKey: .hitsLastThreeMonthsTotal) ?? 0
        hitsLastTwelveMonthsTotal = try c.decodeIfPresent(Int.self, forKey: .hitsLastTwelveMonthsTotal) ?? 0
    }
}

struct Project: Sendable, Queryable {
    var id: String
    var name: String
    var description: String
    var parentProjectId: String?
    var ownerId: String
    var contentPermissions: String
    var createdAt: Date
    var updatedAt: Date

    static let queryFields: Set<String> = [
        "name", "parentProjectId", "topLevelProject", "ownerName", "createdAt", "updatedAt", "id",
    ]

    func field(_ name: String) -> FieldValue? {
        switch name {
        case "id": .string(id)
        case "name": .string(self.name)
        case "parentProjectId": .string(parentProjectId ?? "")
        case "topLevelProject": .bool(parentProjectId == nil)
        case "createdAt": .date(createdAt)
        case "updatedAt": .date(updatedAt)
        default: nil
        }
    }
}

/// What a workbook and a data source share: an item that may hold an extract.
enum ContentKind: String, Sendable {
    case workbook
    case datasource

    var label: String { self == .workbook ? "Workbook" : "Data Source" }
    var webhookResource: String { self == .workbook ? "WORKBOOK" : "DATASOURCE" }
    var eventPrefix: String { self == .workbook ? "Workbook" : "Datasource" }
}

/// A workbook or a published data source.
struct ContentItem: Sendable, Queryable {
    var kind: ContentKind
    var id: String
    var name: String
    var contentUrl: String
    var description: String
    var projectId: String
    var projectName: String
    var ownerId: String
    var ownerName: String
    var hasExtracts: Bool
    /// Data source connection type (`hyper`, `postgres`, `sqlserver`…); workbooks leave it empty.
    var type: String
    var tags: [String]
    var isCertified: Bool
    var size: Int
    var createdAt: Date
    var updatedAt: Date
    var refresh: RefreshBehaviour
    var usage: UsageCounts
    /// Views of a workbook (worksheets first, then dashboards).
    var views: [WorkbookView]
    /// Connections (Query Data Source / Workbook Connections); Update Data Source Connection changes them.
    var connections: [ItemConnection] = []
    /// Published data sources a workbook reads (ids).
    var upstreamDatasourceIds: [String]
    /// Database tables this item reads directly (table ids).
    var upstreamTableIds: [String]
    /// Number of refresh attempts so far (selects ``RefreshBehaviour/outcomes``).
    var refreshAttempts = 0
    /// Bumped by every update, so rendered fragments of older revisions are never reused.
    var revision = 0

    static let queryFields: Set<String> = [
        "id", "name", "projectName", "ownerName", "ownerEmail", "contentUrl", "createdAt", "updatedAt", "tags",
        "hasExtracts", "isCertified", "type", "size",
    ]

    func field(_ field: String) -> FieldValue? {
        switch field {
        case "id": .string(id)
        case "name": .string(name)
        case "projectName": .string(projectName)
        case "ownerName", "ownerEmail": .string(ownerName)
        case "contentUrl": .string(contentUrl)
        case "createdAt": .date(createdAt)
        case "updatedAt": .date(updatedAt)
        case "tags": .strings(tags)
        case "hasExtracts": .bool(hasExtracts)
        case "isCertified": .bool(isCertified)
        case "type": .string(type)
        case "size": .int(size)
        default: nil
        }
    }
}

/// A database table known to the Metadata API lineage.
struct DatabaseTable: Sendable {
    var id: String
    var database: String
    var schema: String
    var name: String
    var connectionType: String

    var fullName: String { "[\(schema)].[\(name)]" }
    var qualifiedName: String { "\(database).\(schema).\(name)" }
}

struct User: Sendable, Queryable {
    var id: String
    var name: String
    var fullName: String
    var email: String
    var siteRole: String
    var authSetting: String
    var password: String?
    var lastLogin: Date?
    var createdAt: Date

    static let queryFields: Set<String> = ["id", "name", "siteRole", "lastLogin", "email", "friendlyName", "fullName"]

    func field(_ field: String) -> FieldValue? {
        switch field {
        case "id": .string(id)
        case "name": .string(name)
        case "siteRole": .string(siteRole)
        case "lastLogin": lastLogin.map(FieldValue.date)
        case "email": .string(email)
        case "friendlyName", "fullName": .string(fullName)
        default: nil
        }
    }
}

/// A connected app (direct trust) registered on a site.
struct ConnectedApp: Sendable {
    var clientId: String
    var secretId: String
    var secretValue: String
    var enabled: Bool
}

/// A collection (versionless API).
struct Collection: Sendable {
    var id: String
    var name: String
    var description: String
    var ownerId: String
    var visibility: String
    var items: [(kind: ContentKind, id: String)]
    var createdAt: Date
    var updatedAt: Date
}

/// A registered webhook.
struct Webhook: Sendable {
    var id: String
    var name: String
    var event: String
    var url: String
    var isEnabled: Bool
    var ownerId: String
    var createdAt: Date
}
