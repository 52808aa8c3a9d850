import Foundation

/// Element shapes of views, connections, revisions and data quality warnings (TSC test assets
/// view_get.xml, datasource_populate_connections.xml, datasource_revision.xml, dqw_by_content_type.xml).
extension ItemElements {
    /// A view as Query Views for Site and Get View return it; `usage` adds `<usage totalViewCount/>`.
    static func view(_ row: ViewRow, site: Site, webBase: String, usage: Bool) -> Element {
        let sitePart = site.contentUrl.isEmpty ? "" : "site/\(site.contentUrl)/"
        var attributes = [
            Attribute("id", row.view.id), Attribute("name", row.view.name), Attribute("contentUrl", row.contentUrl),
            Attribute("createdAt", TableauDate.format(row.workbook.createdAt)), Attribute("updatedAt", TableauDate.format(row.workbook.updatedAt)),
            Attribute("viewUrlName", row.view.urlName), Attribute("sheetType", row.view.sheetType),
            Attribute("webpageUrl", "\(webBase)/#/\(sitePart)views/\(row.workbook.contentUrl)/\(row.view.urlName)"),
        ]
        attributes.append(Attribute("favoritesTotal", "0"))
        var children = [
            Element("workbook", [Attribute("id", row.workbook.id), Attribute("name", row.workbook.name)]),
            Element("owner", [Attribute("id", row.workbook.ownerId), Attribute("name", row.workbook.ownerName)]),
            Element("project", [Attribute("id", row.workbook.projectId), Attribute("name", row.workbook.projectName)]),
            Element("location", [Attribute("id", row.workbook.projectId), Attribute("type", "Project"), Attribute("name", row.workbook.projectName)]),
            tags(row.workbook.tags),
        ]
        if usage, case .int(let hits)? = row.field("hitsTotal") {
            children.append(Element("usage", [Attribute("totalViewCount", String(hits))]))
        }
        return Element("view", attributes, children: children)
    }

    /// A data source or workbook connection (`password` is never returned).
    static func connection(_ connection: ItemConnection) -> Element {
        var element = Element("connection", [
            Attribute("id", connection.id), Attribute("type", connection.type), Attribute("embedPassword", connection.embedPassword ? "true" : "false"),
            Attribute("serverAddress", connection.serverAddress), Attribute("serverPort", connection.serverPort),
            Attribute("userName", connection.userName), Attribute("queryTaggingEnabled", connection.queryTaggingEnabled ? "true" : "false"),
        ])
        if let datasource = connection.datasource {
            element.children.append(Element("datasource", [Attribute("id", datasource.id), Attribute("name", datasource.name)]))
        }
        return element
    }

    /// The one revision the emulator keeps of an item: the current one, published by its owner.
    static func revision(_ item: ContentItem) -> Element {
        Element(
            "revision",
            [
                Attribute("revisionNumber", "1"), Attribute("publishedAt", TableauDate.format(item.updatedAt)),
                Attribute("createdAt", TableauDate.format(item.updatedAt)), Attribute("deleted", "false"), Attribute("current", "true"),
                Attribute("sizeInBytes", String(item.size * 4096)),
            ],
            children: [Element("publisher", [Attribute("id", item.ownerId), Attribute("name", item.ownerName)])]
        )
    }

    static func qualityWarning(_ warning: QualityWarning, siteId: String) -> Element {
        Element(
            "dataQualityWarning",
            [
                Attribute("id", warning.id), Attribute("userDisplayName", warning.ownerDisplayName), Attribute("contentId", warning.contentId),
                Attribute("contentType", warning.contentType.uppercased()), Attribute("message", warning.message), Attribute("type", warning.type),
                Attribute("isActive", warning.isActive ? "true" : "false"), Attribute("createdAt", TableauDate.format(warning.createdAt)),
                Attribute("updatedAt", TableauDate.format(warning.updatedAt)), Attribute("isSevere", warning.isSevere ? "true" : "false"),
            ],
            children: [Element("site", [Attribute("id", siteId)]), Element("owner", [Attribute("id", warning.ownerId)])]
        )
    }
}
