import Foundation

// The Metadata API's view of one site: databases, tables, published data sources and workbooks
// with their lineage edges, built from the seeded `Site` for one request.
//
// Ids: `luid` is the REST API id (the seed's id for tables and content); `id` is the Metadata API's
// own id, derived from it and deliberately different, as on a real server.

/// A scalar a filter compares against.
enum MetaScalar: Sendable, Equatable {
    case string(String)
    case bool(Bool)
}

/// A node that `…_Filter` inputs can select.
protocol MetaFilterable: Sendable {
    /// The value of the scalar field `name`, or nil when the type has no such field (or it is null).
    func filterValue(_ name: String) -> MetaScalar?
}

/// A database (always a database server in the emulator: the seed describes no files).
struct MetaDatabase: MetaFilterable {
    var id: String
    var luid: String
    var name: String
    var connectionType: String
    var hostName: String
    var port: Int?
    var tableIds: [String] = []

    func filterValue(_ name: String) -> MetaScalar? {
        switch name {
        case "id": .string(id)
        case "luid": .string(luid)
        case "name": .string(self.name)
        case "connectionType": .string(connectionType)
        case "hostName": .string(hostName)
        case "isEmbedded": .bool(false)
        default: nil
        }
    }
}

struct MetaTable: MetaFilterable {
    var id: String
    var luid: String
    var name: String
    var schema: String
    var fullName: String
    var connectionType: String
    var databaseId: String

    func filterValue(_ name: String) -> MetaScalar? {
        switch name {
        case "id": .string(id)
        case "luid": .string(luid)
        case "name": .string(self.name)
        case "schema": .string(schema)
        case "fullName": .string(fullName)
        case "connectionType": .string(connectionType)
        case "isEmbedded": .bool(false)
        default: nil
        }
    }
}

struct MetaDatasource: MetaFilterable {
    var id: String
    var luid: String
    var name: String
    var description: String
    var projectName: String
    var projectLuid: String
    var hasExtracts: Bool
    var isCertified: Bool
    var extractLastRefreshTime: String?
    var extractLastUpdateTime: String?
    var extractLastIncrementalUpdateTime: String?
    var uri: String
    var createdAt: String
    var updatedAt: String
    var tableIds: [String]

    func filterValue(_ name: String) -> MetaScalar? {
        switch name {
        case "id": .string(id)
        case "luid": .string(luid)
        case "name": .string(self.name)
        case "projectName": .string(projectName)
        case "projectLuid": .string(projectLuid)
        case "hasExtracts": .bool(hasExtracts)
        case "isCertified": .bool(isCertified)
        default: nil
        }
    }
}

struct MetaWorkbook: MetaFilterable {
    var id: String
    var luid: String
    var name: String
    var description: String
    var projectName: String
    var projectLuid: String
    var hasExtracts: Bool
    var createdAt: String
    var updatedAt: String
    /// Published data sources read (luids).
    var datasourceLuids: [String]
    /// Tables read directly (luids).
    var directTableIds: [String]
    /// `sites/{site}/workbooks/{number}`, Tableau's repository path.
    var uri: String
    var contentUrl: String
    /// Metadata ids of its worksheets and dashboards, in view order.
    var sheetIds: [String] = []
    var dashboardIds: [String] = []

    func filterValue(_ name: String) -> MetaScalar? {
        switch name {
        case "id": .string(id)
        case "luid": .string(luid)
        case "name": .string(self.name)
        case "projectName": .string(projectName)
        case "projectLuid": .string(projectLuid)
        default: nil
        }
    }
}

/// A data source embedded in a workbook: either a proxy for a published data source or the
/// workbook's own connection to tables.
struct MetaEmbeddedDatasource: MetaFilterable {
    var id: String
    var name: String
    var hasExtracts: Bool
    var tableIds: [String]
    var datasourceLuids: [String]
    var workbookLuid: String

    func filterValue(_ name: String) -> MetaScalar? {
        switch name {
        case "id": .string(id)
        case "name": .string(self.name)
        case "hasExtracts": .bool(hasExtracts)
        default: nil
        }
    }
}

/// A worksheet of a workbook (a view of sheet type `worksheet`).
struct MetaSheet: MetaFilterable {
    var id: String
    /// The view's REST id.
    var luid: String
    var name: String
    /// `WorkbookContentUrl/ViewUrlName`.
    var path: String
    var index: Int
    var createdAt: String
    var updatedAt: String
    var workbookLuid: String

    func filterValue(_ name: String) -> MetaScalar? {
        switch name {
        case "id": .string(id)
        case "luid": .string(luid)
        case "name": .string(self.name)
        case "path": .string(path)
        default: nil
        }
    }
}

/// A dashboard of a workbook; it holds every worksheet of its workbook.
struct MetaDashboard: MetaFilterable {
    var id: String
    var luid: String
    var name: String
    var path: String
    var index: Int
    var createdAt: String
    var updatedAt: String
    var workbookLuid: String

    func filterValue(_ name: String) -> MetaScalar? {
        switch name {
        case "id": .string(id)
        case "luid": .string(luid)
        case "name": .string(self.name)
        case "path": .string(path)
        default: nil
        }
    }
}

/// The lineage graph of one site.
struct MetadataLineage: Sendable {
    private(set) var databases: [MetaDatabase] = []
    private(set) var tables: [MetaTable] = []
    private(set) var datasources: [MetaDatasource] = []
    private(set) var workbooks: [MetaWorkbook] = []
    private(set) var sheets: [MetaSheet] = []
    private(set) var dashboards: [MetaDashboard] = []
    private var sheetIndex: [String: Int] = [:]
    private var dashboardIndex: [String: Int] = [:]
    private var databaseIndex: [String: Int] = [:]
    private var tableIndex: [String: Int] = [:]
    private var datasourceIndex: [String: Int] = [:]
    private var workbookIndex: [String: Int] = [:]

    /// - Parameter extractTimes: when each item's extract was last refreshed successfully (by item id).
    init(site: Site, extractTimes: ExtractTimes = ExtractTimes()) {
        for table in site.tables {
            let databaseKey = "\(table.database)\u{1F}\(table.connectionType)"
            if databaseIndex[databaseKey] == nil {
                databaseIndex[databaseKey] = databases.count
                databases.append(
                    MetaDatabase(
                        id: SeedLoader.stableID("metadata", site.id, "database", table.database, table.connectionType),
                        luid: SeedLoader.stableID(site.id, "database", table.database, table.connectionType),
                        name: table.database, connectionType: table.connectionType,
                        hostName: "\(table.database).db.example.com", port: Self.defaultPort[table.connectionType]
                    )
                )
            }
            let databasePosition = databaseIndex[databaseKey]!
            databases[databasePosition].tableIds.append(table.id)
            tableIndex[table.id] = tables.count
            tables.append(
                MetaTable(
                    id: SeedLoader.stableID("metadata", "table", table.id), luid: table.id, name: table.name,
                    schema: table.schema, fullName: table.fullName, connectionType: table.connectionType,
                    databaseId: databases[databasePosition].id
                )
            )
        }
        databaseIndex = Dictionary(uniqueKeysWithValues: databases.enumerated().map { ($1.id, $0) })

        for (number, item) in site.datasources.items.enumerated() {
            datasourceIndex[item.id] = datasources.count
            datasources.append(
                MetaDatasource(
                    id: SeedLoader.stableID("metadata", "datasource", item.id), luid: item.id, name: item.name,
                    description: item.description, projectName: item.projectName, projectLuid: item.projectId,
                    hasExtracts: item.hasExtracts, isCertified: item.isCertified,
                    extractLastRefreshTime: item.hasExtracts ? extractTimes.full[item.id].map(TableauDate.format) : nil,
                    extractLastUpdateTime: item.hasExtracts ? extractTimes.lastUpdate(item.id).map(TableauDate.format) : nil,
                    extractLastIncrementalUpdateTime: item.hasExtracts ? extractTimes.incremental[item.id].map(TableauDate.format) : nil,
                    uri: "sites/1/datasources/\(number + 1)",
                    createdAt: TableauDate.format(item.createdAt), updatedAt: TableauDate.format(item.updatedAt),
                    tableIds: Self.unique(item.upstreamTableIds.filter { tableIndex[$0] != nil })
                )
            )
        }
        for (number, item) in site.workbooks.items.enumerated() {
            workbookIndex[item.id] = workbooks.count
            let created = TableauDate.format(item.createdAt)
            let updated = TableauDate.format(item.updatedAt)
            var sheetIds: [String] = []
            var dashboardIds: [String] = []
            for (position, view) in item.views.enumerated() {
                let id = SeedLoader.stableID("metadata", "view", view.id)
                let path = "\(item.contentUrl)/\(view.urlName)"
                if view.isDashboard {
                    dashboardIndex[id] = dashboards.count
                    dashboardIds.append(id)
                    dashboards.append(
                        MetaDashboard(
                            id: id, luid: view.id, name: view.name, path: path, index: position, createdAt: created, updatedAt: updated,
                            workbookLuid: item.id
                        )
                    )
                } else {
                    sheetIndex[id] = sheets.count
                    sheetIds.append(id)
                    sheets.append(
                        MetaSheet(
                            id: id, luid: view.id, name: view.name, path: path, index: position, createdAt: created, updatedAt: updated,
                            workbookLuid: item.id
                        )
                    )
                }
            }
            workbooks.append(
                MetaWorkbook(
                    id: SeedLoader.stableID("metadata", "workbook", item.id), luid: item.id, name: item.name,
                    description: item.description, projectName: item.projectName, projectLuid: item.projectId,
                    hasExtracts: item.hasExtracts, createdAt: TableauDate.format(item.createdAt), updatedAt: TableauDate.format(item.updatedAt),
                    datasourceLuids: Self.unique(item.upstreamDatasourceIds.filter { datasourceIndex[$0] != nil }),
                    directTableIds: Self.unique(item.upstreamTableIds.filter { tableIndex[$0] != nil }),
                    uri: "sites/1/workbooks/\(number + 1)", contentUrl: item.contentUrl, sheetIds: sheetIds, dashboardIds: dashboardIds
                )
            )
        }
    }

    static let defaultPort: [String: Int] = [
        "postgres": 5432, "sqlserver": 1433, "mysql": 3306, "oracle": 1521, "redshift": 5439, "snowflake": 443,
        "teradata": 1025, "vertica": 5433, "bigquery": 443, "databricks": 443,
    ]

    private static func unique(_ ids: [String]) -> [String] {
        var seen = Set<String>()
        return ids.filter { seen.insert($0).inserted }
    }

    // MARK: Look-ups

    func database(id: String) -> MetaDatabase? { databaseIndex[id].map { databases[$0] } }
    func table(luid: String) -> MetaTable? { tableIndex[luid].map { tables[$0] } }
    func datasource(luid: String) -> MetaDatasource? { datasourceIndex[luid].map { datasources[$0] } }

    func workbook(luid: String) -> MetaWorkbook? { workbookIndex[luid].map { workbooks[$0] } }
    func sheets(_ ids: [String]) -> [MetaSheet] { ids.compactMap { sheetIndex[$0].map { sheets[$0] } } }
    func dashboards(_ ids: [String]) -> [MetaDashboard] { ids.compactMap { dashboardIndex[$0].map { dashboards[$0] } } }

    /// Worksheets of workbooks that read the published data source.
    func downstreamSheets(ofDatasource luid: String) -> [MetaSheet] {
        downstreamWorkbooks(ofDatasource: luid).flatMap { sheets($0.sheetIds) }
    }

    func downstreamDashboards(ofDatasource luid: String) -> [MetaDashboard] {
        downstreamWorkbooks(ofDatasource: luid).flatMap { dashboards($0.dashboardIds) }
    }

    func tables(_ luids: [String]) -> [MetaTable] { luids.compactMap { table(luid: $0) } }
    func datasources(_ luids: [String]) -> [MetaDatasource] { luids.compactMap { datasource(luid: $0) } }

    /// Distinct databases of `tables`, in order of first appearance.
    func databases(of tables: [MetaTable]) -> [MetaDatabase] {
        MetadataLineage.unique(tables.map(\.databaseId)).compactMap { database(id: $0) }
    }

    // MARK: Edges

    /// Tables a workbook reads directly or through its published data sources.
    func upstreamTableIds(of workbook: MetaWorkbook) -> [String] {
        MetadataLineage.unique(workbook.directTableIds + datasources(workbook.datasourceLuids).flatMap(\.tableIds))
    }

    func downstreamDatasources(ofTable luid: String) -> [MetaDatasource] {
        datasources.filter { $0.tableIds.contains(luid) }
    }

    /// Workbooks reading the table directly or through a published data source.
    func downstreamWorkbooks(ofTable luid: String) -> [MetaWorkbook] {
        let readers = Set(downstreamDatasources(ofTable: luid).map(\.luid))
        return workbooks.filter { workbook in
            workbook.directTableIds.contains(luid) || workbook.datasourceLuids.contains { readers.contains($0) }
        }
    }

    func downstreamWorkbooks(ofDatasource luid: String) -> [MetaWorkbook] {
        workbooks.filter { $0.datasourceLuids.contains(luid) }
    }

    func downstreamDatasources(ofDatabase database: MetaDatabase) -> [MetaDatasource] {
        let ids = Set(database.tableIds)
        return datasources.filter { $0.tableIds.contains { ids.contains($0) } }
    }

    func downstreamWorkbooks(ofDatabase database: MetaDatabase) -> [MetaWorkbook] {
        let ids = Set(database.tableIds)
        return workbooks.filter { upstreamTableIds(of: $0).contains { ids.contains($0) } }
    }

    /// The workbook's embedded data sources: one proxy per published data source it reads, and one
    /// per database it connects to directly (named as Tableau names new connections, `orders (warehouse)`).
    func embeddedDatasources(of workbook: MetaWorkbook) -> [MetaEmbeddedDatasource] {
        var result = datasources(workbook.datasourceLuids).map { published in
            MetaEmbeddedDatasource(
                id: SeedLoader.stableID("metadata", "embedded", workbook.luid, published.luid), name: published.name,
                hasExtracts: false, tableIds: published.tableIds, datasourceLuids: [published.luid], workbookLuid: workbook.luid
            )
        }
        let direct = tables(workbook.directTableIds)
        for databaseId in MetadataLineage.unique(direct.map(\.databaseId)) {
            let read = direct.filter { $0.databaseId == databaseId }
            guard let first = read.first, let database = database(id: databaseId) else { continue }
            result.append(
                MetaEmbeddedDatasource(
                    id: SeedLoader.stableID("metadata", "embedded", workbook.luid, databaseId),
                    name: "\(first.name)\(read.count > 1 ? "+" : "") (\(database.name))", hasExtracts: workbook.hasExtracts,
                    tableIds: read.map(\.luid), datasourceLuids: [], workbookLuid: workbook.luid
                )
            )
        }
        return result
    }
}
