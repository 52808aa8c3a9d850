import Foundation

/// A view of a workbook: a worksheet, a dashboard or a story.
struct WorkbookView: Sendable {
    var id: String
    var name: String
    /// `sheetType` as Query Views reports it: `worksheet`, `dashboard` or `story`.
    var sheetType: String

    /// The view's URL name: its name without whitespace (`Regional Sales` → `RegionalSales`).
    var urlName: String { name.filter { !$0.isWhitespace } }

    var isDashboard: Bool { sheetType == "dashboard" }
}

/// A view seen through Query Views for Site's fields, with the workbook it belongs to.
struct ViewRow: Queryable {
    var view: WorkbookView
    var workbook: ContentItem

    static let queryFields: Set<String> = [
        "id", "name", "caption", "contentUrl", "createdAt", "updatedAt", "ownerName", "ownerEmail", "ownerDomain", "projectName",
        "tags", "workbookName", "viewUrlName", "sheetType", "hitsTotal", "favoritesTotal", "fields", "title",
    ]

    var contentUrl: String { "\(workbook.contentUrl)/sheets/\(view.urlName)" }

    func field(_ name: String) -> FieldValue? {
        switch name {
        case "id": .string(view.id)
        case "name", "caption", "title": .string(view.name)
        case "contentUrl": .string(contentUrl)
        case "createdAt": .date(workbook.createdAt)
        case "updatedAt": .date(workbook.updatedAt)
        case "ownerName", "ownerEmail": .string(workbook.ownerName)
        case "ownerDomain": .string("local")
        case "projectName": .string(workbook.projectName)
        case "tags": .strings(workbook.tags)
        case "workbookName": .string(workbook.name)
        case "viewUrlName": .string(view.urlName)
        case "sheetType": .string(view.sheetType)
        case "hitsTotal": .int(workbook.views.first?.id == view.id ? workbook.usage.hitsTotal : 0)
        case "favoritesTotal": .int(0)
        default: nil
        }
    }
}
