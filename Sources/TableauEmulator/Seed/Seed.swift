/// The seed file: what an emulated Tableau server holds when it starts. See docs/emulator.md.
///
/// Every field but a site's `name` and the content items' `name` is optional; ids are generated
/// when absent. The same values can be built in Swift for in-process tests.
public struct Seed: Codable, Sendable {
    public var server: ServerSettings?
    public var personalAccessTokens: [PATSeed]?
    public var sites: [SiteSeed]
    public var faults: FaultSettings?

    public init(
        server: ServerSettings? = nil, personalAccessTokens: [PATSeed]? = nil, sites: [SiteSeed], faults: FaultSettings? = nil
    ) {
        self.server = server
        self.personalAccessTokens = personalAccessTokens
        self.sites = sites
        self.faults = faults
    }

    /// Server-wide settings.
    public struct ServerSettings: Codable, Sendable {
        /// Highest REST API version served, e.g. "3.24".
        public var maxApiVersion: String?
        /// Product version reported by serverinfo, e.g. "2024.2.0".
        public var productVersion: String?
        /// Build reported by serverinfo.
        public var build: String?
        /// Session lifetime in minutes (Tableau Server: 240, Tableau Cloud: 120).
        public var sessionMinutes: Double?
        /// "server" or "cloud": Cloud refuses the sites query (403069).
        public var mode: String?
        /// "refuse" (default): a connected-app JWT's `jti` signs in once; "allowWithinLifetime": the
        /// same JWT signs in again until its `exp` (docs/emulator.md explains the choice).
        public var jwtReuse: String?

        public init(
            maxApiVersion: String? = nil, productVersion: String? = nil, build: String? = nil, sessionMinutes: Double? = nil,
            mode: String? = nil, jwtReuse: String? = nil
        ) {
            self.jwtReuse = jwtReuse
            self.maxApiVersion = maxApiVersion
            self.productVersion = productVersion
            self.build = build
            self.sessionMinutes = sessionMinutes
            self.mode = mode
        }
    }

    /// A personal access token; it signs in as `user` on any site where that user exists.
    public struct PATSeed: Codable, Sendable {
        public var name: String
        public var secret: String
        public var user: String
        /// Days until the token expires; absent means it does not expire.
        public var expiresInDays: Double?

        public init(name: String, secret: String, user: String, expiresInDays: Double? = nil) {
            self.name = name
            self.secret = secret
            self.user = user
            self.expiresInDays = expiresInDays
        }
    }

    public struct SiteSeed: Codable, Sendable {
        public var id: String?
        public var name: String
        /// URL name of the site; "" is the Default site.
        public var contentUrl: String?
        public var maxConcurrentJobs: Int?
        public var users: [UserSeed]?
        public var connectedApps: [ConnectedAppSeed]?
        public var projects: [ProjectSeed]?
        public var datasources: [ContentSeed]?
        public var workbooks: [ContentSeed]?
        public var tables: [TableSeed]?
        public var extractRefreshTasks: [TaskSeed]?
        public var collections: [CollectionSeed]?
        /// Bulk content for load tests.
        public var generate: GenerateSeed?
        /// Refreshes running longer are killed with Tableau's time-limit error (cloud mode: 7200).
        public var refreshTimeLimitSeconds: Double?
        /// The site's daily refresh capacity: run time of the refreshes requested per UTC day; once
        /// used up, further refreshes that day fail with Tableau's quota note. Unlimited when absent.
        public var dailyRefreshSeconds: Double?

        public init(
            id: String? = nil, name: String, contentUrl: String? = nil, maxConcurrentJobs: Int? = nil, users: [UserSeed]? = nil,
            connectedApps: [ConnectedAppSeed]? = nil, projects: [ProjectSeed]? = nil, datasources: [ContentSeed]? = nil,
            workbooks: [ContentSeed]? = nil, tables: [TableSeed]? = nil, extractRefreshTasks: [TaskSeed]? = nil,
            collections: [CollectionSeed]? = nil, generate: GenerateSeed? = nil, refreshTimeLimitSeconds: Double? = nil,
            dailyRefreshSeconds: Double? = nil
        ) {
            self.refreshTimeLimitSeconds = refreshTimeLimitSeconds
            self.dailyRefreshSeconds = dailyRefreshSeconds
            self.id = id
            self.name = name
            self.contentUrl = contentUrl
            self.maxConcurrentJobs = maxConcurrentJobs
            self.users = users
            self.connectedApps = connectedApps
            self.projects = projects
            self.datasources = datasources
            self.workbooks = workbooks
            self.tables = tables
            self.extractRefreshTasks = extractRefreshTasks
            self.collections = collections
            self.generate = generate
        }
    }

    public struct UserSeed: Codable, Sendable {
        public var id: String?
        public var name: String
        public var fullName: String?
        public var email: String?
        public var siteRole: String?
        public var authSetting: String?
        public var password: String?
        /// ISO-8601 time of the last sign-in; absent means the user never signed in.
        public var lastLogin: String?

        public init(
            id: String? = nil, name: String, fullName: String? = nil, email: String? = nil, siteRole: String? = nil,
            authSetting: String? = nil, password: String? = nil, lastLogin: String? = nil
        ) {
            self.id = id
            self.name = name
            self.fullName = fullName
            self.email = email
            self.siteRole = siteRole
            self.authSetting = authSetting
            self.password = password
            self.lastLogin = lastLogin
        }
    }

    public struct ConnectedAppSeed: Codable, Sendable {
        public var clientId: String
        public var secretId: String
        public var secretValue: String
        public var enabled: Bool?

        public init(clientId: String, secretId: String, secretValue: String, enabled: Bool? = nil) {
            self.clientId = clientId
            self.secretId = secretId
            self.secretValue = secretValue
            self.enabled = enabled
        }
    }

    public struct ProjectSeed: Codable, Sendable {
        public var id: String?
        public var name: String
        public var description: String?
        /// Name of the parent project.
        public var parent: String?
        /// Owner's user name; defaults to the site's first administrator.
        public var owner: String?

        public init(id: String? = nil, name: String, description: String? = nil, parent: String? = nil, owner: String? = nil) {
            self.id = id
            self.name = name
            self.description = description
            self.parent = parent
            self.owner = owner
        }
    }

    /// A workbook or a published data source.
    public struct ContentSeed: Codable, Sendable {
        public var id: String?
        public var name: String
        /// Project name; defaults to the site's first project.
        public var project: String?
        public var owner: String?
        public var description: String?
        /// Whether the item holds an extract (false: a live connection, which cannot be refreshed).
        public var hasExtracts: Bool?
        /// Connection type of a data source (`hyper`, `postgres`, `snowflake`…).
        public var type: String?
        public var tags: [String]?
        public var certified: Bool?
        public var refresh: RefreshBehaviour?
        /// Tables this item reads directly, as `database.schema.table`.
        public var upstreamTables: [String]?
        /// Published data sources a workbook reads, by name.
        public var datasources: [String]?
        /// View names of a workbook (worksheets).
        public var views: [String]?
        /// Dashboard names of a workbook (views too, listed after the worksheets).
        public var dashboards: [String]?
        public var usage: UsageCounts?
        public var createdAt: String?
        public var updatedAt: String?

        public init(
            id: String? = nil, name: String, project: String? = nil, owner: String? = nil, description: String? = nil,
            hasExtracts: Bool? = nil, type: String? = nil, tags: [String]? = nil, certified: Bool? = nil,
            refresh: RefreshBehaviour? = nil, upstreamTables: [String]? = nil, datasources: [String]? = nil,
            views: [String]? = nil, usage: UsageCounts? = nil, createdAt: String? = nil, updatedAt: String? = nil,
            dashboards: [String]? = nil
        ) {
            self.dashboards = dashboards
            self.id = id
            self.name = name
            self.project = project
            self.owner = owner
            self.description = description
            self.hasExtracts = hasExtracts
            self.type = type
            self.tags = tags
            self.certified = certified
            self.refresh = refresh
            self.upstreamTables = upstreamTables
            self.datasources = datasources
            self.views = views
            self.usage = usage
            self.createdAt = createdAt
            self.updatedAt = updatedAt
        }
    }

    public struct TableSeed: Codable, Sendable {
        public var id: String?
        public var database: String
        public var schema: String
        public var name: String
        public var connectionType: String?

        public init(id: String? = nil, database: String, schema: String, name: String, connectionType: String? = nil) {
            self.id = id
            self.database = database
            self.schema = schema
            self.name = name
            self.connectionType = connectionType
        }
    }

    /// A scheduled extract-refresh task for one item (give `datasource` or `workbook`).
    public struct TaskSeed: Codable, Sendable {
        public var id: String?
        public var datasource: String?
        public var workbook: String?
        public var incremental: Bool?
        public var frequency: String?
        public var schedule: String?
        /// Run time `HH:MM` (UTC), default `06:00`; Hourly schedules use only the minutes.
        public var at: String?
        /// Day of a Weekly schedule (`Monday`…), default `Monday`.
        public var weekDay: String?
        /// Tableau suspended the task (unused content, repeated failures): refreshes of its item fail.
        public var suspended: Bool?

        public init(
            id: String? = nil, datasource: String? = nil, workbook: String? = nil, incremental: Bool? = nil,
            frequency: String? = nil, schedule: String? = nil, at: String? = nil, weekDay: String? = nil, suspended: Bool? = nil
        ) {
            self.suspended = suspended
            self.at = at
            self.weekDay = weekDay
            self.id = id
            self.datasource = datasource
            self.workbook = workbook
            self.incremental = incremental
            self.frequency = frequency
            self.schedule = schedule
        }
    }

    public struct CollectionSeed: Codable, Sendable {
        public var id: String?
        public var name: String
        public var description: String?
        public var owner: String?
        public var visibility: String?
        /// Items by name: `{"workbook": "Sales"}` or `{"datasource": "Orders"}`.
        public var items: [[String: String]]?

        public init(
            id: String? = nil, name: String, description: String? = nil, owner: String? = nil, visibility: String? = nil,
            items: [[String: String]]? = nil
        ) {
            self.id = id
            self.name = name
            self.description = description
            self.owner = owner
            self.visibility = visibility
            self.items = items
        }
    }

    /// Generated content: `workbooks` extract workbooks and `datasources` extract data sources
    /// named "Workbook 00001"… in `project`.
    public struct GenerateSeed: Codable, Sendable {
        public var workbooks: Int?
        public var datasources: Int?
        public var project: String?
        public var refresh: RefreshBehaviour?

        public init(workbooks: Int? = nil, datasources: Int? = nil, project: String? = nil, refresh: RefreshBehaviour? = nil) {
            self.workbooks = workbooks
            self.datasources = datasources
            self.project = project
            self.refresh = refresh
        }
    }
}
