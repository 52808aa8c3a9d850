import Foundation

/// Tableau's element shapes for each kind of item (REST-API.md §4–§10, TSC test assets).
enum ItemElements {
    static func site(_ site: Site) -> Element {
        Element("site", [
            Attribute("id", site.id), Attribute("name", site.name), Attribute("contentUrl", site.contentUrl),
            Attribute("adminMode", "ContentAndUsers"), Attribute("state", "Active"), Attribute("revisionHistoryEnabled", "true"),
            Attribute("revisionLimit", "25"), Attribute("disableSubscriptions", "false"), Attribute("timeZone", "UTC"),
        ])
    }

    static func project(_ project: Project) -> Element {
        var attributes = [
            Attribute("id", project.id), Attribute("name", project.name), Attribute("description", project.description),
            Attribute("contentPermissions", project.contentPermissions),
        ]
        attributes.add("parentProjectId", project.parentProjectId)
        attributes.append(Attribute("createdAt", TableauDate.format(project.createdAt)))
        attributes.append(Attribute("updatedAt", TableauDate.format(project.updatedAt)))
        return Element("project", attributes, children: [Element("owner", [Attribute("id", project.ownerId)])])
    }

    static func tags(_ tags: [String]) -> Element {
        .list("tags", tags.map { Element("tag", [Attribute("label", $0)]) })
    }

    static func content(_ item: ContentItem, site: Site, webBase: String) -> Element {
        let sitePart = site.contentUrl.isEmpty ? "" : "site/\(site.contentUrl)/"
        let webpage = "\(webBase)/#/\(sitePart)\(item.kind == .workbook ? "workbooks" : "datasources")/\(item.id)"
        var attributes = [
            Attribute("id", item.id), Attribute("name", item.name), Attribute("description", item.description),
            Attribute("contentUrl", item.contentUrl), Attribute("webpageUrl", webpage),
        ]
        if item.kind == .workbook {
            attributes.append(Attribute("showTabs", "true"))
            attributes.append(Attribute("size", String(item.size)))
            attributes.append(Attribute("sheetCount", String(item.views.count)))
            attributes.add("defaultViewId", item.views.first?.id)
        } else {
            attributes.append(Attribute("type", item.type))
            attributes.append(Attribute("size", String(item.size * 4096)))
            attributes.append(Attribute("isCertified", item.isCertified ? "true" : "false"))
            attributes.append(Attribute("useRemoteQueryAgent", "false"))
        }
        attributes.append(Attribute("createdAt", TableauDate.format(item.createdAt)))
        attributes.append(Attribute("updatedAt", TableauDate.format(item.updatedAt)))
        attributes.append(Attribute("encryptExtracts", "false"))
        attributes.append(Attribute("hasExtracts", item.hasExtracts ? "true" : "false"))
        var children = [
            Element("project", [Attribute("id", item.projectId), Attribute("name", item.projectName)]),
            Element("owner", [Attribute("id", item.ownerId), Attribute("name", item.ownerName)]),
            tags(item.tags),
        ]
        if item.kind == .workbook {
            children.insert(Element("location", [Attribute("id", item.projectId), Attribute("type", "Project"), Attribute("name", item.projectName)]), at: 1)
            children.append(Element("dataAccelerationConfig", [Attribute("accelerationEnabled", "false")]))
        }
        return Element(item.kind.rawValue, attributes, children: children)
    }

    /// A workbook as Query Workbook returns it: with its views.
    static func workbookWithViews(_ item: ContentItem, site: Site, webBase: String) -> Element {
        var element = content(item, site: site, webBase: webBase)
        element.children.append(
            .list("views", item.views.map { Element("view", [Attribute("id", $0.id), Attribute("name", $0.name), Attribute("contentUrl", "\(item.contentUrl)/sheets/\($0.urlName)")]) })
        )
        return element
    }

    static func user(_ user: User) -> Element {
        var attributes = [
            Attribute("id", user.id), Attribute("name", user.name), Attribute("fullName", user.fullName), Attribute("email", user.email),
            Attribute("siteRole", user.siteRole), Attribute("authSetting", user.authSetting),
        ]
        attributes.add("lastLogin", user.lastLogin.map(TableauDate.format))
        attributes.append(Attribute("externalAuthUserId", ""))
        attributes.append(Attribute("locale", "en_US"))
        attributes.append(Attribute("language", "en"))
        return Element("user", attributes, children: [Element("domain", [Attribute("name", "local")])])
    }

    /// The target of a refresh job: `<datasource id name/>` or `<workbook id name/>`.
    static func jobTarget(_ job: Job) -> Element {
        Element(job.kind.rawValue, [Attribute("id", job.itemId), Attribute("name", job.itemName)])
    }

    /// A job as Refresh Now and Run Now return it.
    static func acceptedJob(_ job: Job) -> Element {
        Element(
            "job",
            [
                Attribute("id", job.id), Attribute("mode", "Asynchronous"), Attribute("type", "RefreshExtract"),
                Attribute("createdAt", TableauDate.format(job.createdAt)),
            ],
            children: [Element("extractRefreshJob", children: [jobTarget(job)])]
        )
    }

    /// A job as Query Job returns it, with progress, times, finishCode and notes.
    static func job(_ job: Job, now: Date) -> Element {
        var attributes = [
            Attribute("id", job.id), Attribute("mode", "Asynchronous"), Attribute("type", "RefreshExtract"),
            Attribute("progress", String(job.progress(at: now))), Attribute("createdAt", TableauDate.format(job.createdAt)),
        ]
        attributes.add("startedAt", job.startedAt.map(TableauDate.format))
        attributes.add("updatedAt", TableauDate.format(job.completedAt ?? job.startedAt ?? job.createdAt))
        attributes.add("completedAt", job.completedAt.map(TableauDate.format))
        attributes.add("finishCode", job.finishCode.map(String.init))
        var refresh = Element("extractRefreshJob", children: [jobTarget(job)])
        if let notes = job.notes { refresh.children.append(Element("notes", text: notes)) }
        var children = [refresh]
        if job.finishCode == 2 {
            children.insert(.list("statusNotes", [Element("statusNote", [Attribute("type", "cancelled"), Attribute("text", "Job was cancelled.")])]), at: 0)
        }
        return Element("job", attributes, children: children)
    }

    /// A job as Query Jobs lists it.
    static func backgroundJob(_ job: Job) -> Element {
        var attributes = [
            Attribute("id", job.id), Attribute("status", job.status.rawValue), Attribute("createdAt", TableauDate.format(job.createdAt)),
        ]
        attributes.add("startedAt", job.startedAt.map(TableauDate.format))
        attributes.add("endedAt", job.completedAt.map(TableauDate.format))
        attributes.append(Attribute("priority", "50"))
        attributes.append(Attribute("jobType", job.backgroundJobType))
        attributes.append(Attribute("title", job.itemName))
        attributes.append(Attribute("subtitle", job.kind.label))
        return Element("backgroundJob", attributes)
    }

    /// An extract-refresh task. Tableau Server shows the server schedule (`id name state priority
    /// createdAt updatedAt type frequency nextRunAt`); Tableau Cloud has no named schedules and
    /// shows `frequency nextRunAt` with `frequencyDetails` (TSC assets tasks_with_datasource.xml, tasks_with_interval.xml).
    static func task(_ task: RefreshTask, now: Date, cloud: Bool) -> Element {
        let schedule: Element
        if cloud {
            let details = Element(
                "frequencyDetails", [Attribute("start", task.schedule.startTime), Attribute("end", task.schedule.startTime)],
                children: [.list("intervals", task.schedule.intervals.map { Element("interval", [Attribute($0.0, $0.1)]) })]
            )
            schedule = Element(
                "schedule",
                [Attribute("frequency", task.schedule.frequency), Attribute("nextRunAt", TableauDate.format(task.schedule.nextRun(after: now)))],
                children: [details]
            )
        } else {
            schedule = self.schedule(task.schedule, now: now)
        }
        let refresh = Element(
            "extractRefresh",
            [
                Attribute("id", task.id), Attribute("priority", String(task.priority)),
                Attribute("consecutiveFailedCount", String(task.consecutiveFailedCount)), Attribute("type", "RefreshExtractTask"),
                Attribute("incremental", task.incremental ? "true" : "false"),
            ],
            children: [schedule, Element(task.kind.rawValue, [Attribute("id", task.itemId)])]
        )
        return Element("task", children: [refresh])
    }

    /// A server schedule as Query Schedules and (inside a task) Server's task list show it.
    static func schedule(_ schedule: RefreshSchedule, now: Date) -> Element {
        Element("schedule", [
            Attribute("id", schedule.id), Attribute("name", schedule.name), Attribute("state", "Active"), Attribute("priority", "50"),
            Attribute("createdAt", TableauDate.format(schedule.createdAt)), Attribute("updatedAt", TableauDate.format(schedule.updatedAt)),
            Attribute("type", "Extract"), Attribute("frequency", schedule.frequency),
            Attribute("nextRunAt", TableauDate.format(schedule.nextRun(after: now))), Attribute("executionOrder", "Parallel"),
        ])
    }

    static func webhook(_ hook: Webhook) -> Element {
        Element(
            "webhook",
            [
                Attribute("id", hook.id), Attribute("name", hook.name), Attribute("isEnabled", bool: hook.isEnabled),
                Attribute("statusChangeReason", ""), Attribute("event", hook.event), Attribute("createdAt", TableauDate.format(hook.createdAt)),
            ],
            children: [
                Element("webhook-source", children: [Element(sourceEventName(hook.event))]),
                Element("webhook-destination", children: [Element("webhook-destination-http", [Attribute("method", "POST"), Attribute("url", hook.url)])]),
                Element("owner", [Attribute("id", hook.ownerId)]),
            ]
        )
    }

    /// `DatasourceRefreshFailed` → `webhook-source-event-datasource-refresh-failed`.
    static func sourceEventName(_ event: String) -> String {
        var words: [String] = []
        var current = ""
        for character in event {
            if character.isUppercase, !current.isEmpty {
                words.append(current)
                current = ""
            }
            current.append(character)
        }
        if !current.isEmpty { words.append(current) }
        return "webhook-source-event-" + words.map { $0.lowercased() }.joined(separator: "-")
    }
}
