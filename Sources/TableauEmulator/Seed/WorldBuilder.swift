import Foundation

/// Builds a ``World`` from a ``Seed``, checking every reference; on any problem nothing is built.
struct WorldBuilder {
    let file: String
    /// Creation time given to seeded items without one.
    let baseDate = Date(timeIntervalSince1970: 1_704_103_200)  // 2024-01-01T10:00:00Z

    func build(_ seed: Seed) throws(SeedError) -> World {
        var world = World()
        guard !seed.sites.isEmpty else { throw fail("sites", "a seed needs at least one site") }
        var contentUrls: Set<String> = []
        for (index, siteSeed) in seed.sites.enumerated() {
            let site = try buildSite(siteSeed, place: "sites[\(index)]")
            guard contentUrls.insert(site.contentUrl.lowercased()).inserted else {
                throw fail("sites[\(index)].contentUrl", "another site already uses content URL \"\(site.contentUrl)\"")
            }
            world.sites.append(site)
        }
        for (index, pat) in (seed.personalAccessTokens ?? []).enumerated() {
            let place = "personalAccessTokens[\(index)]"
            guard !pat.name.isEmpty, !pat.secret.isEmpty else { throw fail(place, "a token needs a name and a secret") }
            guard world.personalAccessTokens[pat.name] == nil else { throw fail(place + ".name", "duplicate token name \"\(pat.name)\"") }
            guard world.sites.contains(where: { $0.user(named: pat.user) != nil }) else {
                throw fail(place + ".user", "no site has a user named \"\(pat.user)\"")
            }
            world.personalAccessTokens[pat.name] = PersonalAccessToken(
                name: pat.name, secret: pat.secret, userName: pat.user,
                expiresAt: pat.expiresInDays.map { Date().addingTimeInterval($0 * 86_400) }
            )
        }
        if let faults = seed.faults {
            if let problem = faults.problem() { throw fail("faults", problem) }
            world.defaultMaxConcurrentJobs = faults.maxConcurrentJobsPerSite
        }
        return world
    }

    private func fail(_ place: String, _ problem: String) -> SeedError {
        SeedError(file: file, place: place, problem: problem)
    }

    private func date(_ text: String?, _ place: String, default fallback: Date) throws(SeedError) -> Date {
        guard let text else { return fallback }
        guard let date = TableauDate.parse(text) else { throw fail(place, "\"\(text)\" is not a time like 2024-05-01T12:00:00Z") }
        return date
    }

    private func buildSite(_ seed: Seed.SiteSeed, place: String) throws(SeedError) -> Site {
        guard !seed.name.isEmpty else { throw fail(place + ".name", "a site needs a name") }
        let contentUrl = seed.contentUrl ?? (seed.name == "Default" ? "" : seed.name.filter { $0.isLetter || $0.isNumber })
        if let limit = seed.maxConcurrentJobs, limit < 1 { throw fail(place + ".maxConcurrentJobs", "must be at least 1") }
        if let limit = seed.refreshTimeLimitSeconds, limit <= 0 { throw fail(place + ".refreshTimeLimitSeconds", "must be positive") }
        if let quota = seed.dailyRefreshSeconds, quota < 0 { throw fail(place + ".dailyRefreshSeconds", "must not be negative") }
        var site = Site(
            id: seed.id ?? SeedLoader.stableID("site", contentUrl), name: seed.name, contentUrl: contentUrl,
            maxConcurrentJobs: seed.maxConcurrentJobs
        )
        site.refreshTimeLimit = seed.refreshTimeLimitSeconds
        site.dailyRefreshSeconds = seed.dailyRefreshSeconds
        try addUsers(seed.users ?? [], to: &site, place: place)
        for (index, app) in (seed.connectedApps ?? []).enumerated() {
            guard !app.clientId.isEmpty, !app.secretId.isEmpty, !app.secretValue.isEmpty else {
                throw fail("\(place).connectedApps[\(index)]", "clientId, secretId and secretValue must not be empty")
            }
            site.connectedApps.append(
                ConnectedApp(clientId: app.clientId, secretId: app.secretId, secretValue: app.secretValue, enabled: app.enabled ?? true)
            )
        }
        try addProjects(seed.projects ?? [], to: &site, place: place)
        for (index, table) in (seed.tables ?? []).enumerated() {
            let id = table.id ?? SeedLoader.stableID(site.id, "table", table.database, table.schema, table.name)
            guard !site.tables.contains(where: { $0.qualifiedName == "\(table.database).\(table.schema).\(table.name)" }) else {
                throw fail("\(place).tables[\(index)]", "duplicate table \(table.database).\(table.schema).\(table.name)")
            }
            site.tables.append(
                DatabaseTable(
                    id: id, database: table.database, schema: table.schema, name: table.name,
                    connectionType: table.connectionType ?? "postgres"
                )
            )
        }
        for (index, item) in (seed.datasources ?? []).enumerated() {
            try addContent(item, kind: .datasource, to: &site, place: "\(place).datasources[\(index)]")
        }
        for (index, item) in (seed.workbooks ?? []).enumerated() {
            try addContent(item, kind: .workbook, to: &site, place: "\(place).workbooks[\(index)]")
        }
        if let generate = seed.generate { try addGenerated(generate, to: &site, place: place + ".generate") }
        try addTasks(seed.extractRefreshTasks ?? [], to: &site, place: place)
        try addCollections(seed.collections ?? [], to: &site, place: place)
        return site
    }

    private func addUsers(_ users: [Seed.UserSeed], to site: inout Site, place: String) throws(SeedError) {
        for (index, user) in users.enumerated() {
            let userPlace = "\(place).users[\(index)]"
            guard !user.name.isEmpty else { throw fail(userPlace + ".name", "a user needs a name") }
            guard site.user(named: user.name) == nil else { throw fail(userPlace + ".name", "duplicate user \"\(user.name)\"") }
            let role = user.siteRole ?? "Creator"
            guard SiteRole.assignable.contains(role) || role == "ServerAdministrator" else {
                throw fail(userPlace + ".siteRole", "\"\(role)\" is not a Tableau site role (\(SiteRole.assignable.joined(separator: ", ")), ServerAdministrator)")
            }
            let lastLogin: Date? = try user.lastLogin.map { text throws(SeedError) in try date(text, userPlace + ".lastLogin", default: baseDate) }
            site.users.append(
                User(
                    id: user.id ?? SeedLoader.stableID(site.id, "user", user.name), name: user.name,
                    fullName: user.fullName ?? user.name, email: user.email ?? (user.name.contains("@") ? user.name : ""),
                    siteRole: role, authSetting: user.authSetting ?? "ServerDefault", password: user.password,
                    lastLogin: lastLogin, createdAt: baseDate
                )
            )
        }
    }

    /// The owner for seeded content: the named user, or the site's first administrator.
    private func owner(_ name: String?, in site: Site, place: String) throws(SeedError) -> User {
        if let name {
            guard let user = site.user(named: name) else {
                throw fail(place + ".owner", "no user named \"\(name)\" on this site (users: \(site.users.items.map(\.name).joined(separator: ", ")))")
            }
            return user
        }
        if let admin = site.users.first(where: { SiteRole.administrators.contains($0.siteRole) }) ?? site.users.items.first {
            return admin
        }
        throw fail(place, "content needs an owner, and this site has no users; add one under \"users\"")
    }

    private func addProjects(_ projects: [Seed.ProjectSeed], to site: inout Site, place: String) throws(SeedError) {
        let seeds = projects.isEmpty ? [Seed.ProjectSeed(name: "Default", description: "The default project that was automatically created by Tableau.")] : projects
        for (index, project) in seeds.enumerated() {
            let projectPlace = "\(place).projects[\(index)]"
            guard site.projects.first(where: { $0.name == project.name && project.parent == nil && $0.parentProjectId == nil }) == nil else {
                throw fail(projectPlace + ".name", "duplicate top-level project \"\(project.name)\"")
            }
            let ownerId = site.users.count == 0 && project.owner == nil ? "" : try owner(project.owner, in: site, place: projectPlace).id
            var parentId: String?
            if let parent = project.parent {
                guard let found = site.projects.first(where: { $0.name == parent }) else {
                    throw fail(projectPlace + ".parent", "no project named \"\(parent)\" is declared before this one")
                }
                parentId = found.id
            }
            let created = baseDate.addingTimeInterval(Double(index) * 60)
            site.projects.append(
                Project(
                    id: project.id ?? SeedLoader.stableID(site.id, "project", project.parent ?? "", project.name), name: project.name,
                    description: project.description ?? "", parentProjectId: parentId, ownerId: ownerId,
                    contentPermissions: "ManagedByOwner", createdAt: created, updatedAt: created
                )
            )
        }
    }

    private func table(_ qualified: String, in site: inout Site, connectionType: String, place: String) throws(SeedError) -> String {
        let parts = qualified.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 3, parts.allSatisfy({ !$0.isEmpty }) else {
            throw fail(place, "\"\(qualified)\" is not a table name of the form database.schema.table")
        }
        if let known = site.tables.first(where: { $0.qualifiedName.lowercased() == qualified.lowercased() }) { return known.id }
        let table = DatabaseTable(
            id: SeedLoader.stableID(site.id, "table", parts[0], parts[1], parts[2]), database: parts[0], schema: parts[1],
            name: parts[2], connectionType: connectionType
        )
        site.tables.append(table)
        return table.id
    }

    /// `checkDuplicates: false` skips the scan for a same-named item (generated content checks names
    /// once with a set: scanning 10,000 items per item made large seeds load in minutes in debug builds).
    private func addContent(
        _ seed: Seed.ContentSeed, kind: ContentKind, to site: inout Site, place: String, checkDuplicates: Bool = true
    ) throws(SeedError) {
        guard !seed.name.isEmpty else { throw fail(place + ".name", "an item needs a name") }
        let projectName = seed.project ?? site.projects.items.first?.name ?? "Default"
        guard let project = site.projects.first(where: { $0.name == projectName }) else {
            throw fail(place + ".project", "no project named \"\(projectName)\" (projects: \(site.projects.items.map(\.name).joined(separator: ", ")))")
        }
        guard !checkDuplicates || !site.content(kind).items.contains(where: { $0.name == seed.name && $0.projectId == project.id }) else {
            throw fail(place + ".name", "duplicate \(kind.label.lowercased()) \"\(seed.name)\" in project \"\(projectName)\"")
        }
        let owner = try owner(seed.owner, in: site, place: place)
        let type = seed.type ?? (kind == .datasource ? ((seed.hasExtracts ?? true) ? "hyper" : "postgres") : "")
        var tableIds: [String] = []
        for (index, name) in (seed.upstreamTables ?? []).enumerated() {
            tableIds.append(try table(name, in: &site, connectionType: type == "hyper" || type.isEmpty ? "postgres" : type, place: "\(place).upstreamTables[\(index)]"))
        }
        var datasourceIds: [String] = []
        for (index, name) in (seed.datasources ?? []).enumerated() {
            guard kind == .workbook else { throw fail(place + ".datasources", "only workbooks read published data sources") }
            guard let datasource = site.datasources.first(where: { $0.name == name }) else {
                throw fail("\(place).datasources[\(index)]", "no data source named \"\(name)\" is declared on this site")
            }
            datasourceIds.append(datasource.id)
        }
        let created = try date(seed.createdAt, place + ".createdAt", default: baseDate.addingTimeInterval(Double(site.content(kind).count) * 3600))
        let updated = try date(seed.updatedAt, place + ".updatedAt", default: created)
        let id = seed.id ?? SeedLoader.stableID(site.id, kind.rawValue, projectName, seed.name)
        let contentUrl = seed.name.filter { $0.isLetter || $0.isNumber }
        if kind == .datasource, seed.dashboards != nil { throw fail(place + ".dashboards", "only workbooks have dashboards") }
        let sheets = (seed.views ?? (kind == .workbook ? ["Overview"] : [])).map { name in
            WorkbookView(id: SeedLoader.stableID(id, "view", name), name: name, sheetType: "worksheet")
        }
        let dashboards = (seed.dashboards ?? []).map { name in
            WorkbookView(id: SeedLoader.stableID(id, "view", name), name: name, sheetType: "dashboard")
        }
        let views = sheets + dashboards
        guard Set(views.map(\.name)).count == views.count else { throw fail(place + ".views", "view and dashboard names must be unique") }
        if let refresh = seed.refresh, refresh.durationSeconds < 0 || refresh.queueSeconds < 0 {
            throw fail(place + ".refresh", "durationSeconds and queueSeconds must not be negative")
        }
        var item = ContentItem(
            kind: kind, id: id, name: seed.name, contentUrl: contentUrl, description: seed.description ?? "",
            projectId: project.id, projectName: project.name, ownerId: owner.id, ownerName: owner.name,
            hasExtracts: seed.hasExtracts ?? true, type: type, tags: seed.tags ?? [], isCertified: seed.certified ?? false,
            size: 1, createdAt: created, updatedAt: updated, refresh: seed.refresh ?? RefreshBehaviour(),
            usage: seed.usage ?? UsageCounts(), views: views, upstreamDatasourceIds: datasourceIds, upstreamTableIds: tableIds
        )
        item.connections = ConnectionDefaults.connections(of: item, site: site)
        site.updateContent(item)
    }

    private func addGenerated(_ generate: Seed.GenerateSeed, to site: inout Site, place: String) throws(SeedError) {
        let projectName = generate.project ?? site.projects.items.first?.name ?? "Default"
        guard let project = site.projects.first(where: { $0.name == projectName }) else {
            throw fail(place + ".project", "no project named \"\(projectName)\"")
        }
        for (kind, count) in [(ContentKind.datasource, generate.datasources ?? 0), (.workbook, generate.workbooks ?? 0)] {
            guard count >= 0, count <= 1_000_000 else { throw fail(place, "generated counts must be between 0 and 1000000") }
            let prefix = kind == .workbook ? "Workbook" : "Data Source"
            let taken = Set(site.content(kind).items.filter { $0.projectId == project.id }.map(\.name))
            for number in 0..<count {
                let name = prefix + " " + String(format: "%05d", number + 1)
                guard !taken.contains(name) else {
                    throw fail(place, "generated \(kind.label.lowercased()) \"\(name)\" has the name of a seeded one in project \"\(projectName)\"")
                }
                try addContent(
                    Seed.ContentSeed(name: name, project: projectName, refresh: generate.refresh), kind: kind, to: &site, place: place,
                    checkDuplicates: false
                )
            }
        }
    }

    private func addTasks(_ tasks: [Seed.TaskSeed], to site: inout Site, place: String) throws(SeedError) {
        for (index, task) in tasks.enumerated() {
            let taskPlace = "\(place).extractRefreshTasks[\(index)]"
            let kind: ContentKind
            let name: String
            switch (task.datasource, task.workbook) {
            case (let datasource?, nil): (kind, name) = (.datasource, datasource)
            case (nil, let workbook?): (kind, name) = (.workbook, workbook)
            default: throw fail(taskPlace, "give exactly one of \"datasource\" or \"workbook\"")
            }
            guard let item = site.content(kind).first(where: { $0.name == name }) else {
                throw fail(taskPlace, "no \(kind.label.lowercased()) named \"\(name)\"")
            }
            let schedule = try makeSchedule(task, existing: site.tasks.map(\.schedule), createdAt: item.createdAt, place: taskPlace)
            site.tasks.append(
                RefreshTask(
                    id: task.id ?? SeedLoader.stableID(site.id, "task", item.id, String(index)), kind: kind, itemId: item.id,
                    incremental: task.incremental ?? false, schedule: schedule, priority: 50, consecutiveFailedCount: 0,
                    suspended: task.suspended ?? false
                )
            )
        }
    }

    /// The task's schedule; tasks naming the same schedule share it (the first one's timing wins).
    private func makeSchedule(
        _ task: Seed.TaskSeed, existing: [RefreshSchedule], createdAt: Date, place: String
    ) throws(SeedError) -> RefreshSchedule {
        let frequency = task.frequency ?? "Daily"
        guard RefreshSchedule.frequencies.contains(frequency) else {
            throw fail(place + ".frequency", "must be one of \(RefreshSchedule.frequencies.joined(separator: ", ")), not \"\(frequency)\"")
        }
        let name = task.schedule ?? (frequency == "Daily" ? "Refresh daily" : "Refresh \(frequency.lowercased())")
        if let shared = existing.first(where: { $0.name == name }) {
            guard shared.frequency == frequency else {
                throw fail(place + ".frequency", "schedule \"\(name)\" is \(shared.frequency) for another task")
            }
            return shared
        }
        let parts = (task.at ?? "06:00").split(separator: ":").compactMap { Int($0) }
        guard parts.count == 2, (0..<24).contains(parts[0]), (0..<60).contains(parts[1]) else {
            throw fail(place + ".at", "expected a UTC time HH:MM, not \"\(task.at ?? "")\"")
        }
        let weekDayName = task.weekDay ?? "Monday"
        guard let weekDay = RefreshSchedule.weekDays.firstIndex(of: weekDayName) else {
            throw fail(place + ".weekDay", "must be one of \(RefreshSchedule.weekDays.joined(separator: ", "))")
        }
        return RefreshSchedule(
            id: SeedLoader.stableID("schedule", name), name: name, frequency: frequency, hour: parts[0], minute: parts[1],
            weekDay: weekDay + 1, createdAt: createdAt, updatedAt: createdAt
        )
    }

    private func addCollections(_ collections: [Seed.CollectionSeed], to site: inout Site, place: String) throws(SeedError) {
        for (index, collection) in collections.enumerated() {
            let collectionPlace = "\(place).collections[\(index)]"
            let owner = try owner(collection.owner, in: site, place: collectionPlace)
            var items: [(kind: ContentKind, id: String)] = []
            for (itemIndex, reference) in (collection.items ?? []).enumerated() {
                guard reference.count == 1, let (key, name) = reference.first, let kind = ContentKind(rawValue: key),
                    let item = site.content(kind).first(where: { $0.name == name })
                else {
                    throw fail("\(collectionPlace).items[\(itemIndex)]", "expected {\"workbook\": NAME} or {\"datasource\": NAME} naming an item of this site")
                }
                items.append((kind, item.id))
            }
            site.collections.append(
                Collection(
                    id: collection.id ?? SeedLoader.stableID(site.id, "collection", collection.name), name: collection.name,
                    description: collection.description ?? "", ownerId: owner.id, visibility: collection.visibility ?? "public",
                    items: items, createdAt: baseDate, updatedAt: baseDate
                )
            )
        }
    }
}
