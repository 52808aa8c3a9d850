/// One Tableau site with its content, users and settings.
struct Site: Sendable {
    var id: String
    var name: String
    var contentUrl: String
    /// Backgrounders available to this site; nil means no limit.
    var maxConcurrentJobs: Int?
    /// Refreshes running longer are killed with Tableau's time-limit error (nil: no limit).
    var refreshTimeLimit: Double?
    /// Run time of refreshes allowed per UTC day (nil: unlimited), and the run time used per day.
    var dailyRefreshSeconds: Double?
    var refreshSecondsUsed: [Int: Double] = [:]
    var projects = Indexed<Project> { $0.id }
    var workbooks = Indexed<ContentItem> { $0.id }
    var datasources = Indexed<ContentItem> { $0.id }
    var users = Indexed<User> { $0.id }
    var connectedApps: [ConnectedApp] = []
    var tables: [DatabaseTable] = []
    var tasks: [RefreshTask] = []
    var collections: [Collection] = []
    var webhooks = Indexed<Webhook> { $0.id }
    var qualityWarnings = Indexed<QualityWarning> { $0.id }

    init(id: String, name: String, contentUrl: String, maxConcurrentJobs: Int?) {
        self.id = id
        self.name = name
        self.contentUrl = contentUrl
        self.maxConcurrentJobs = maxConcurrentJobs
    }

    func content(_ kind: ContentKind) -> Indexed<ContentItem> {
        kind == .workbook ? workbooks : datasources
    }

    mutating func updateContent(_ item: ContentItem) {
        var item = item
        item.revision += 1
        if item.kind == .workbook { workbooks.append(item) } else { datasources.append(item) }
    }

    func user(named name: String) -> User? {
        users.first { $0.name == name }
    }

    /// Whether the user owns a project, workbook or data source.
    func ownsContent(_ userId: String) -> Bool {
        projects.items.contains { $0.ownerId == userId } || workbooks.items.contains { $0.ownerId == userId }
            || datasources.items.contains { $0.ownerId == userId }
    }

    /// Reassigns everything `from` owns to `to`.
    mutating func transferContent(from: String, to: String, toName: String) {
        for var project in projects.items where project.ownerId == from {
            project.ownerId = to
            projects.append(project)
        }
        for kind in [ContentKind.workbook, .datasource] {
            for var item in content(kind).items where item.ownerId == from {
                item.ownerId = to
                item.ownerName = toName
                updateContent(item)
            }
        }
    }
}
