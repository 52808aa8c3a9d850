import Foundation
import GraphQL
import OrderedCollections
import Synchronization

/// What resolvers see of one request: the site's lineage and the warnings collected so far.
final class MetadataContext: Sendable {
    let lineage: MetadataLineage
    private let warningStore = Mutex<[GraphQLError]>([])

    init(lineage: MetadataLineage) {
        self.lineage = lineage
    }

    /// Adds a warning to `errors[]` without failing the field.
    func warn(_ warning: GraphQLError) {
        warningStore.withLock { $0.append(warning) }
    }

    var warnings: [GraphQLError] { warningStore.withLock { $0 } }
}

/// An error a resolver raises; rendered with `extensions: {severity, code}` like Tableau's.
struct MetadataFailure: Error, CustomStringConvertible {
    var code: String
    var message: String

    var description: String { message }
}

/// One page of a `…Connection` field.
struct MetaConnection: Sendable {
    var nodes: [any Sendable]
    var totalCount: Int
    var hasNextPage: Bool
    var hasPreviousPage: Bool
    var startCursor: String?
    var endCursor: String?
}

/// The Metadata API schema the emulator serves (a subset of Tableau's, same names).
enum MetadataSchema {
    /// Largest page a `…Connection` field returns; a larger `first` is capped with a warning.
    static let maxPageSize = 1000
    static let defaultPageSize = 100

    static let shared: Result<GraphQLSchema, any Error> = Result { try build() }

    // MARK: Field helpers

    /// A field whose value `get` computes from a source of type `S`.
    private static func field<S: Sendable>(
        _ type: any GraphQLOutputType, _ description: String? = nil, args: GraphQLArgumentConfigMap = [:],
        _ get: @escaping @Sendable (S, Map, MetadataContext, GraphQLResolveInfo) throws -> (any Sendable)?
    ) -> GraphQLField {
        let resolve: GraphQLFieldResolve = { source, args, context, info in
            guard let context = context as? MetadataContext else {
                throw MetadataFailure(code: "INTERNAL_ERROR", message: "The Metadata API context is missing.")
            }
            guard let source = source as? S else { return nil }
            return try get(source, args, context, info)
        }
        return GraphQLField(type: type, description: description, args: args, resolve: resolve)
    }

    /// A field reading a property of the source.
    private static func property<S: Sendable>(
        _ type: any GraphQLOutputType, _ description: String? = nil, _ get: @escaping @Sendable (S) -> (any Sendable)?
    ) -> GraphQLField {
        field(type, description) { (source: S, _, _, _) in get(source) }
    }

    private static func list(_ type: any GraphQLNamedType & GraphQLOutputType) -> any GraphQLOutputType {
        GraphQLNonNull(GraphQLList(GraphQLNonNull(type)))
    }

    private static let string = GraphQLNonNull(GraphQLString)
    private static let id = GraphQLNonNull(GraphQLID)
    private static let bool = GraphQLNonNull(GraphQLBoolean)

    // MARK: Filters

    /// A `…_Filter` input with `field` and `fieldWithin` for each scalar field.
    private static func filterType(_ name: String, _ fields: [(String, any GraphQLInputType & GraphQLNullableType, String)]) throws
        -> GraphQLInputObjectType
    {
        var map: InputObjectFieldMap = [:]
        for (field, type, description) in fields {
            map[field] = InputObjectField(type: type, description: description)
            map[field + "Within"] = InputObjectField(type: GraphQLList(type), description: description + " (any of)")
        }
        return try GraphQLInputObjectType(name: name, description: "Filter by GraphQL field and given value", fields: map)
    }

    /// Whether `node` passes `filter` (every given field must match; null fields are ignored).
    static func matches(_ node: some MetaFilterable, _ filter: Map) -> Bool {
        guard case .dictionary(let fields) = filter else { return true }
        for (key, wanted) in fields {
            if wanted.isNull || wanted.isUndefined { continue }
            if key.hasSuffix("Within") {
                guard let options = wanted.array, let value = node.filterValue(String(key.dropLast("Within".count))),
                    options.contains(where: { scalar($0) == value })
                else { return false }
            } else {
                guard let value = node.filterValue(key), scalar(wanted) == value else { return false }
            }
        }
        return true
    }

    private static func scalar(_ map: Map) -> MetaScalar? {
        switch map {
        case .string(let text): .string(text)
        case .bool(let flag): .bool(flag)
        case .number(let number) where number.storageType == .bool: .bool(number.boolValue)
        default: nil
        }
    }

    private static func filtered<N: MetaFilterable>(_ nodes: [N], _ args: Map) -> [N] {
        nodes.filter { matches($0, args["filter"]) }
    }

    // MARK: Paging

    private static let pagingArgs: GraphQLArgumentConfigMap = [
        "first": GraphQLArgument(type: GraphQLInt, description: "Number of nodes to return (default 100, at most 1000)"),
        "after": GraphQLArgument(type: GraphQLString, description: "Cursor after which to start (a previous endCursor)"),
        "offset": GraphQLArgument(type: GraphQLInt, description: "Number of nodes to skip"),
    ]

    private static func cursor(_ typeName: String, _ index: Int) -> String {
        Data("\(typeName):\(index)".utf8).base64EncodedString()
    }

    /// One page of `nodes` as `first`/`after`/`offset` select it.
    static func page(_ nodes: [any Sendable], typeName: String, args: Map, context: MetadataContext, info: GraphQLResolveInfo) throws
        -> MetaConnection
    {
        var start = 0
        if let after = args["after"].string {
            guard args["offset"].int == nil else {
                throw MetadataFailure(
                    code: "INVALID_ARGUMENT",
                    message: "Can’t use “after” and “offset” pagination at the same time. Remove one of the arguments from the query."
                )
            }
            guard let data = Data(base64Encoded: after), let text = String(data: data, encoding: .utf8),
                let colon = text.lastIndex(of: ":"), let index = Int(text[text.index(after: colon)...]), index >= 0
            else {
                throw MetadataFailure(code: "INVALID_ARGUMENT", message: "The query contains an invalid cursor. Make sure to use cursors of the same type.")
            }
            guard text[..<colon] == typeName else {
                throw MetadataFailure(code: "INVALID_ARGUMENT", message: "The query contains an invalid cursor. Make sure to use cursors of the same type.")
            }
            start = index + 1
        } else if let offset = args["offset"].int {
            guard offset >= 0 else { throw MetadataFailure(code: "INVALID_ARGUMENT", message: "The value of “offset” must not be negative.") }
            start = offset
        }
        var size = args["first"].int ?? defaultPageSize
        guard size >= 0 else { throw MetadataFailure(code: "INVALID_ARGUMENT", message: "The value of “first” must not be negative.") }
        if size > maxPageSize {
            size = maxPageSize
            context.warn(
                GraphQLError(
                    message: "The value chosen for “first” exceeded the maximum page size, so the query results will be limited to the maximum page size instead of the value chosen for “first”. It is recommended that the value chosen for “first” is less than or equal to \(maxPageSize).",
                    path: info.path,
                    extensions: [
                        "severity": "WARNING", "code": "MAX_PAGE_SIZE_EXCEEDED",
                        "properties": .dictionary(["maxPageSize": .number(Number(maxPageSize))]),
                    ]
                )
            )
        }
        start = min(start, nodes.count)
        let end = min(nodes.count, start + size)
        return MetaConnection(
            nodes: Array(nodes[start..<end]), totalCount: nodes.count, hasNextPage: end < nodes.count, hasPreviousPage: start > 0,
            startCursor: end > start ? cursor(typeName, start) : nil, endCursor: end > start ? cursor(typeName, end - 1) : nil
        )
    }

    // MARK: Schema

    private final class Types: @unchecked Sendable {
        var database: GraphQLInterfaceType!
        var databaseServer: GraphQLObjectType!
        var table: GraphQLObjectType!
        var datasource: GraphQLObjectType!
        var workbook: GraphQLObjectType!
        var embedded: GraphQLObjectType!
        var sheet: GraphQLObjectType!
        var dashboard: GraphQLObjectType!
    }

    static func build() throws -> GraphQLSchema {
        let types = Types()
        let dateTime = try GraphQLScalarType(
            name: "DateTime", description: "An ISO-8601 date and time in UTC, e.g. 2024-05-01T12:00:00Z",
            serialize: { value in
                if let text = value as? String { return .string(text) }
                if let date = value as? Date { return .string(TableauDate.format(date)) }
                throw MetadataFailure(code: "INTERNAL_ERROR", message: "DateTime cannot represent \(value)")
            }
        )

        let databaseFilter = try filterType(
            "Database_Filter",
            [
                ("id", GraphQLID, "Unique identifier used by the Metadata API"),
                ("luid", GraphQLString, "Locally unique identifier used for the REST API"),
                ("name", GraphQLString, "Name shown in server and desktop clients"),
                ("connectionType", GraphQLString, "Connection type shortname"),
                ("isEmbedded", GraphQLBoolean, "True if this database is embedded in Tableau content"),
            ]
        )
        let databaseServerFilter = try filterType(
            "DatabaseServer_Filter",
            [
                ("id", GraphQLID, "Unique identifier used by the Metadata API"),
                ("luid", GraphQLString, "Locally unique identifier used for the REST API"),
                ("name", GraphQLString, "Name shown in server and desktop clients"),
                ("connectionType", GraphQLString, "Connection type shortname"),
                ("hostName", GraphQLString, "Host name of the database server"),
                ("isEmbedded", GraphQLBoolean, "True if this database is embedded in Tableau content"),
            ]
        )
        let tableFilter = try filterType(
            "DatabaseTable_Filter",
            [
                ("id", GraphQLID, "Unique identifier used by the Metadata API"),
                ("luid", GraphQLString, "Locally unique identifier used for the REST API"),
                ("name", GraphQLString, "Name shown in server and desktop clients"),
                ("schema", GraphQLString, "Name of table schema"),
                ("fullName", GraphQLString, "Fully qualified table name"),
                ("connectionType", GraphQLString, "Connection type of parent database"),
                ("isEmbedded", GraphQLBoolean, "True if this table is embedded in Tableau content"),
            ]
        )
        let datasourceFilter = try filterType(
            "PublishedDatasource_Filter",
            [
                ("id", GraphQLID, "Unique identifier used by the Metadata API"),
                ("luid", GraphQLString, "Locally unique identifier used for the REST API"),
                ("name", GraphQLString, "Name shown in server and desktop clients"),
                ("projectName", GraphQLString, "The name of the project in which the data source is published"),
                ("projectLuid", GraphQLString, "The luid of the project in which the data source is published"),
                ("hasExtracts", GraphQLBoolean, "True if datasource contains extracted data"),
                ("isCertified", GraphQLBoolean, "True if this data source is certified"),
            ]
        )
        let workbookFilter = try filterType(
            "Workbook_Filter",
            [
                ("id", GraphQLID, "Unique identifier used by the Metadata API"),
                ("luid", GraphQLString, "Locally unique identifier used for the REST API"),
                ("name", GraphQLString, "Name shown in server and desktop clients"),
                ("projectName", GraphQLString, "The name of the project in which the workbook is visible and usable"),
                ("projectLuid", GraphQLString, "The luid of the project in which the workbook is visible and usable"),
            ]
        )

        let sheetFilter = try filterType(
            "Sheet_Filter",
            [
                ("id", GraphQLID, "Unique identifier used by the Metadata API"),
                ("luid", GraphQLString, "Locally unique identifier used for the REST API"),
                ("name", GraphQLString, "Name shown in server and desktop clients"),
                ("path", GraphQLString, "Server path to the sheet"),
            ]
        )
        let dashboardFilter = try filterType(
            "Dashboard_Filter",
            [
                ("id", GraphQLID, "Unique identifier used by the Metadata API"),
                ("luid", GraphQLString, "Locally unique identifier used for the REST API"),
                ("name", GraphQLString, "Name shown in server and desktop clients"),
                ("path", GraphQLString, "Server path to the dashboard"),
            ]
        )

        let resolveDatabaseType: GraphQLTypeResolve = { _, _ in "DatabaseServer" }
        let databaseInterfaceFields: () throws -> GraphQLFieldMap = { databaseFields(types, server: false) }
        types.database = try GraphQLInterfaceType(
            name: "Database", description: "A database containing tables", fields: databaseInterfaceFields,
            resolveType: resolveDatabaseType
        )
        types.databaseServer = try GraphQLObjectType(
            name: "DatabaseServer", description: "A database server connection", fields: { databaseFields(types, server: true) },
            interfaces: { [types.database] }, isTypeOf: { source, _ in source is MetaDatabase }
        )
        types.table = try GraphQLObjectType(
            name: "DatabaseTable", description: "A table that is contained in a database", fields: { tableFields(types) }
        )
        types.datasource = try GraphQLObjectType(
            name: "PublishedDatasource", description: "A Tableau data source that has been published separately to Tableau Server",
            fields: { datasourceFields(types, dateTime: dateTime) }
        )
        types.embedded = try GraphQLObjectType(
            name: "EmbeddedDatasource", description: "A data source embedded in a workbook", fields: { embeddedFields(types) }
        )
        types.workbook = try GraphQLObjectType(
            name: "Workbook", description: "Workbooks are used to package up Tableau visualizations",
            fields: { workbookFields(types, dateTime: dateTime) }
        )
        types.sheet = try GraphQLObjectType(
            name: "Sheet", description: "A sheet contained in a published workbook.", fields: { sheetFields(types, dateTime: dateTime) }
        )
        types.dashboard = try GraphQLObjectType(
            name: "Dashboard", description: "A dashboard contained in a published workbook.",
            fields: { dashboardFields(types, dateTime: dateTime) }
        )
        let pageInfo = try GraphQLObjectType(
            name: "PageInfo", description: "Information about pagination in a connection",
            fields: [
                "hasNextPage": property(bool, "Indicates if there are more objects to fetch") { (c: MetaConnection) in c.hasNextPage },
                "hasPreviousPage": property(bool, "Indicates if there are previous objects") { (c: MetaConnection) in c.hasPreviousPage },
                "startCursor": property(GraphQLString, "Cursor of the first node of the page") { (c: MetaConnection) in c.startCursor },
                "endCursor": property(GraphQLString, "Cursor to use in subsequent query to fetch next page of objects") {
                    (c: MetaConnection) in c.endCursor
                },
            ]
        )
        func connection(_ name: String, _ node: any GraphQLNamedType & GraphQLOutputType) throws -> GraphQLObjectType {
            try GraphQLObjectType(
                name: name, description: "Connection Type for \(node.name)",
                fields: [
                    "nodes": property(list(node), "List of nodes") { (c: MetaConnection) in c.nodes },
                    "pageInfo": property(GraphQLNonNull(pageInfo), "Information for pagination") { (c: MetaConnection) in c },
                    "totalCount": property(GraphQLNonNull(GraphQLInt), "Total number of objects in connection") { (c: MetaConnection) in
                        c.totalCount
                    },
                ]
            )
        }

        /// `plural(filter:)` and `pluralConnection(filter:first:after:offset:)` root fields.
        func rootFields<N: MetaFilterable>(
            _ plural: String, node: any GraphQLNamedType & GraphQLOutputType, connectionName: String, filter: GraphQLInputObjectType,
            nodes: @escaping @Sendable (MetadataLineage) -> [N]
        ) throws -> GraphQLFieldMap {
            let filterArg: GraphQLArgumentConfigMap = ["filter": GraphQLArgument(type: filter, description: "Filter by field values")]
            var pagedArgs = filterArg
            for (key, value) in pagingArgs { pagedArgs[key] = value }
            let connectionType = try connection(connectionName, node)
            return [
                plural: field(list(node), "Fetch \(node.name) objects", args: filterArg) { (_: Root, args, c, _) in
                    filtered(nodes(c.lineage), args)
                },
                plural + "Connection": field(connectionType, "Fetch \(node.name) objects with pagination", args: pagedArgs) {
                    (_: Root, args, c, info) in
                    try page(filtered(nodes(c.lineage), args), typeName: node.name, args: args, context: c, info: info)
                },
            ]
        }

        var queryFields: GraphQLFieldMap = [:]
        let groups: [GraphQLFieldMap] = [
            try rootFields("databaseTables", node: types.table, connectionName: "DatabaseTablesConnection", filter: tableFilter) {
                $0.tables
            },
            try rootFields(
                "publishedDatasources", node: types.datasource, connectionName: "PublishedDatasourcesConnection",
                filter: datasourceFilter
            ) { $0.datasources },
            try rootFields("workbooks", node: types.workbook, connectionName: "WorkbooksConnection", filter: workbookFilter) {
                $0.workbooks
            },
            try rootFields("sheets", node: types.sheet, connectionName: "SheetsConnection", filter: sheetFilter) { $0.sheets },
            try rootFields("dashboards", node: types.dashboard, connectionName: "DashboardsConnection", filter: dashboardFilter) {
                $0.dashboards
            },
            try rootFields("databases", node: types.database, connectionName: "DatabasesConnection", filter: databaseFilter) {
                $0.databases
            },
            try rootFields(
                "databaseServers", node: types.databaseServer, connectionName: "DatabaseServersConnection", filter: databaseServerFilter
            ) { $0.databases },
        ]
        for group in groups {
            for (key, value) in group { queryFields[key] = value }
        }
        let query = try GraphQLObjectType(name: "Query", description: "Query root for Metadata GraphQL interface", fields: queryFields)
        return try GraphQLSchema(query: query, types: [types.databaseServer])
    }

    // MARK: Object fields

    private static func databaseFields(_ types: Types, server: Bool) -> GraphQLFieldMap {
        var f: GraphQLFieldMap = [:]
        f["id"] = property(id, "Unique identifier used by the Metadata API") { (d: MetaDatabase) in d.id }
        f["luid"] = property(string, "Locally unique identifier used for the REST API") { (d: MetaDatabase) in d.luid }
        f["name"] = property(GraphQLString, "Name shown in server and desktop clients") { (d: MetaDatabase) in d.name }
        f["connectionType"] = property(GraphQLString, "Connection type shortname") { (d: MetaDatabase) in d.connectionType }
        f["isEmbedded"] = property(bool, "True if this database is embedded in Tableau content") { (_: MetaDatabase) in false }
        if server {
            f["hostName"] = property(GraphQLString, "Hostname of the database server") { (d: MetaDatabase) in d.hostName }
            f["port"] = property(GraphQLInt, "Port number of the database server") { (d: MetaDatabase) in d.port }
        }
        f["tables"] = field(list(types.table), "Tables contained in this database") { (d: MetaDatabase, _, c, _) in
            c.lineage.tables(d.tableIds)
        }
        f["downstreamDatasources"] = field(list(types.datasource), "Published data sources connected to this database") {
            (d: MetaDatabase, _, c, _) in c.lineage.downstreamDatasources(ofDatabase: d)
        }
        f["downstreamWorkbooks"] = field(list(types.workbook), "Workbooks connected to this database") { (d: MetaDatabase, _, c, _) in
            c.lineage.downstreamWorkbooks(ofDatabase: d)
        }
        return f
    }

    private static func tableFields(_ types: Types) -> GraphQLFieldMap {
        var f: GraphQLFieldMap = [:]
        f["id"] = property(id, "Unique identifier used by the Metadata API") { (t: MetaTable) in t.id }
        f["luid"] = property(string, "Locally unique identifier used for the REST API") { (t: MetaTable) in t.luid }
        f["name"] = property(GraphQLString, "Name shown in server and desktop clients") { (t: MetaTable) in t.name }
        f["schema"] = property(GraphQLString, "Name of table schema") { (t: MetaTable) in t.schema }
        f["fullName"] = property(GraphQLString, "Fully qualified table name") { (t: MetaTable) in t.fullName }
        f["connectionType"] = property(GraphQLString, "Connection type of parent database") { (t: MetaTable) in t.connectionType }
        f["isEmbedded"] = property(GraphQLBoolean, "True if this table is embedded in Tableau content") { (_: MetaTable) in false }
        f["database"] = field(types.database, "The database to which this table belongs") { (t: MetaTable, _, c, _) in
            c.lineage.database(id: t.databaseId)
        }
        f["downstreamDatasources"] = field(list(types.datasource), "Published data sources connected to this table") {
            (t: MetaTable, _, c, _) in c.lineage.downstreamDatasources(ofTable: t.luid)
        }
        f["downstreamWorkbooks"] = field(
            list(types.workbook), "Workbooks connected to this table, directly or through a published data source"
        ) { (t: MetaTable, _, c, _) in c.lineage.downstreamWorkbooks(ofTable: t.luid) }
        return f
    }

    private static func datasourceFields(_ types: Types, dateTime: GraphQLScalarType) -> GraphQLFieldMap {
        var f: GraphQLFieldMap = [:]
        f["id"] = property(id, "Unique identifier used by the Metadata API") { (d: MetaDatasource) in d.id }
        f["luid"] = property(string, "Locally unique identifier used for the REST API") { (d: MetaDatasource) in d.luid }
        f["name"] = property(GraphQLString, "Name shown in server and desktop clients") { (d: MetaDatasource) in d.name }
        f["description"] = property(GraphQLString, "Description of the data source") { (d: MetaDatasource) in d.description }
        f["projectName"] = property(GraphQLString, "The name of the project in which the data source is published") {
            (d: MetaDatasource) in d.projectName
        }
        f["projectLuid"] = property(GraphQLString, "The luid of the project in which the data source is published") {
            (d: MetaDatasource) in d.projectLuid
        }
        f["hasExtracts"] = property(GraphQLBoolean, "True if datasource contains extracted data") { (d: MetaDatasource) in d.hasExtracts }
        f["extractLastRefreshTime"] = property(dateTime, "Time an extract was last fully refreshed") { (d: MetaDatasource) in
            d.extractLastRefreshTime
        }
        f["extractLastUpdateTime"] = property(
            dateTime, "Time an extract was last updated by either a full refresh, incremental update, or creation"
        ) { (d: MetaDatasource) in d.extractLastUpdateTime }
        f["extractLastIncrementalUpdateTime"] = property(dateTime, "Time an extract was last incrementally updated") {
            (d: MetaDatasource) in d.extractLastIncrementalUpdateTime
        }
        f["uri"] = property(GraphQLString, "Uri of the datasource") { (d: MetaDatasource) in d.uri }
        f["downstreamSheets"] = field(list(types.sheet), "Sheets downstream from this data source") { (d: MetaDatasource, _, c, _) in
            c.lineage.downstreamSheets(ofDatasource: d.luid)
        }
        f["downstreamDashboards"] = field(list(types.dashboard), "Dashboards downstream from this data source") {
            (d: MetaDatasource, _, c, _) in c.lineage.downstreamDashboards(ofDatasource: d.luid)
        }
        f["isCertified"] = property(GraphQLBoolean, "True if this data source is certified") { (d: MetaDatasource) in d.isCertified }
        f["createdAt"] = property(GraphQLNonNull(dateTime), "Time the data source was created") { (d: MetaDatasource) in d.createdAt }
        f["updatedAt"] = property(GraphQLNonNull(dateTime), "Time the data source was last updated") { (d: MetaDatasource) in d.updatedAt }
        f["upstreamTables"] = field(list(types.table), "Tables upstream from this data source") { (d: MetaDatasource, _, c, _) in
            c.lineage.tables(d.tableIds)
        }
        f["upstreamDatabases"] = field(list(types.database), "Databases upstream from this data source") { (d: MetaDatasource, _, c, _) in
            c.lineage.databases(of: c.lineage.tables(d.tableIds))
        }
        f["downstreamWorkbooks"] = field(list(types.workbook), "Workbooks downstream from this data source") {
            (d: MetaDatasource, _, c, _) in c.lineage.downstreamWorkbooks(ofDatasource: d.luid)
        }
        return f
    }

    private static func embeddedFields(_ types: Types) -> GraphQLFieldMap {
        var f: GraphQLFieldMap = [:]
        f["id"] = property(id, "Unique identifier used by the Metadata API") { (e: MetaEmbeddedDatasource) in e.id }
        f["name"] = property(GraphQLString, "Name shown in server and desktop clients") { (e: MetaEmbeddedDatasource) in e.name }
        f["hasExtracts"] = property(GraphQLBoolean, "True if datasource contains extracted data") { (e: MetaEmbeddedDatasource) in
            e.hasExtracts
        }
        f["upstreamTables"] = field(list(types.table), "Tables upstream from this data source") { (e: MetaEmbeddedDatasource, _, c, _) in
            c.lineage.tables(e.tableIds)
        }
        f["upstreamDatabases"] = field(list(types.database), "Databases upstream from this data source") {
            (e: MetaEmbeddedDatasource, _, c, _) in c.lineage.databases(of: c.lineage.tables(e.tableIds))
        }
        f["upstreamDatasources"] = field(list(types.datasource), "Published data sources upstream from this data source") {
            (e: MetaEmbeddedDatasource, _, c, _) in c.lineage.datasources(e.datasourceLuids)
        }
        return f
    }

    private static func workbookFields(_ types: Types, dateTime: GraphQLScalarType) -> GraphQLFieldMap {
        var f: GraphQLFieldMap = [:]
        f["id"] = property(id, "Unique identifier used by the Metadata API") { (w: MetaWorkbook) in w.id }
        f["luid"] = property(string, "Locally unique identifier used for the REST API") { (w: MetaWorkbook) in w.luid }
        f["name"] = property(GraphQLString, "Name shown in server and desktop clients") { (w: MetaWorkbook) in w.name }
        f["description"] = property(GraphQLString, "Description of the workbook") { (w: MetaWorkbook) in w.description }
        f["projectName"] = property(GraphQLString, "The name of the project in which the workbook is visible and usable") {
            (w: MetaWorkbook) in w.projectName
        }
        f["projectLuid"] = property(GraphQLString, "The luid of the project in which the workbook is visible and usable") {
            (w: MetaWorkbook) in w.projectLuid
        }
        f["createdAt"] = property(GraphQLNonNull(dateTime), "Time the workbook was created") { (w: MetaWorkbook) in w.createdAt }
        f["updatedAt"] = property(GraphQLNonNull(dateTime), "Time the workbook was last updated") { (w: MetaWorkbook) in w.updatedAt }
        f["upstreamDatasources"] = field(list(types.datasource), "Published data sources used in this workbook") {
            (w: MetaWorkbook, _, c, _) in c.lineage.datasources(w.datasourceLuids)
        }
        f["upstreamTables"] = field(list(types.table), "Tables used by this workbook, directly or through published data sources") {
            (w: MetaWorkbook, _, c, _) in c.lineage.tables(c.lineage.upstreamTableIds(of: w))
        }
        f["upstreamDatabases"] = field(list(types.database), "Databases used by this workbook") { (w: MetaWorkbook, _, c, _) in
            c.lineage.databases(of: c.lineage.tables(c.lineage.upstreamTableIds(of: w)))
        }
        f["embeddedDatasources"] = field(list(types.embedded), "Data sources embedded in this workbook") { (w: MetaWorkbook, _, c, _) in
            c.lineage.embeddedDatasources(of: w)
        }
        f["uri"] = property(GraphQLString, "Uri of the workbook") { (w: MetaWorkbook) in w.uri }
        f["vizportalUrlId"] = property(string, "The workbook's id in the server's web page URLs") { (w: MetaWorkbook) in
            String(w.uri.split(separator: "/").last ?? "")
        }
        f["sheets"] = field(list(types.sheet), "The worksheets included in this workbook") { (w: MetaWorkbook, _, c, _) in
            c.lineage.sheets(w.sheetIds)
        }
        f["dashboards"] = field(list(types.dashboard), "The dashboards included in this workbook") { (w: MetaWorkbook, _, c, _) in
            c.lineage.dashboards(w.dashboardIds)
        }
        return f
    }

    private static func sheetFields(_ types: Types, dateTime: GraphQLScalarType) -> GraphQLFieldMap {
        var f: GraphQLFieldMap = [:]
        f["id"] = property(id, "Unique identifier used by the Metadata API") { (v: MetaSheet) in v.id }
        f["luid"] = property(string, "Locally unique identifier used for the REST API (the view's id)") { (v: MetaSheet) in v.luid }
        f["name"] = property(GraphQLString, "Name shown in server and desktop clients") { (v: MetaSheet) in v.name }
        f["path"] = property(GraphQLString, "Server path to the sheet") { (v: MetaSheet) in v.path }
        f["index"] = property(GraphQLNonNull(GraphQLInt), "Position of the sheet in its workbook") { (v: MetaSheet) in v.index }
        f["createdAt"] = property(GraphQLNonNull(dateTime), "Time the sheet was created") { (v: MetaSheet) in v.createdAt }
        f["updatedAt"] = property(GraphQLNonNull(dateTime), "Time the sheet was updated") { (v: MetaSheet) in v.updatedAt }
        f["workbook"] = field(types.workbook, "The workbook that contains this sheet") { (v: MetaSheet, _, c, _) in
            c.lineage.workbook(luid: v.workbookLuid)
        }
        f["upstreamDatasources"] = field(list(types.datasource), "Published data sources used by this sheet") { (v: MetaSheet, _, c, _) in
            c.lineage.workbook(luid: v.workbookLuid).map { c.lineage.datasources($0.datasourceLuids) } ?? []
        }
        f["upstreamTables"] = field(list(types.table), "Tables used by this sheet") { (v: MetaSheet, _, c, _) in
            c.lineage.workbook(luid: v.workbookLuid).map { c.lineage.tables(c.lineage.upstreamTableIds(of: $0)) } ?? []
        }
        f["containedInDashboards"] = field(list(types.dashboard), "Dashboards that contain this sheet") { (v: MetaSheet, _, c, _) in
            c.lineage.workbook(luid: v.workbookLuid).map { c.lineage.dashboards($0.dashboardIds) } ?? []
        }
        return f
    }

    private static func dashboardFields(_ types: Types, dateTime: GraphQLScalarType) -> GraphQLFieldMap {
        var f: GraphQLFieldMap = [:]
        f["id"] = property(id, "Unique identifier used by the Metadata API") { (d: MetaDashboard) in d.id }
        f["luid"] = property(string, "Locally unique identifier used for the REST API (the view's id)") { (d: MetaDashboard) in d.luid }
        f["name"] = property(GraphQLString, "Name shown in server and desktop clients") { (d: MetaDashboard) in d.name }
        f["path"] = property(GraphQLString, "Server path to the dashboard") { (d: MetaDashboard) in d.path }
        f["index"] = property(GraphQLNonNull(GraphQLInt), "Position of the dashboard in its workbook") { (d: MetaDashboard) in d.index }
        f["createdAt"] = property(GraphQLNonNull(dateTime), "Time the dashboard was created") { (d: MetaDashboard) in d.createdAt }
        f["updatedAt"] = property(GraphQLNonNull(dateTime), "Time the dashboard was updated") { (d: MetaDashboard) in d.updatedAt }
        f["workbook"] = field(types.workbook, "The workbook that contains this dashboard") { (d: MetaDashboard, _, c, _) in
            c.lineage.workbook(luid: d.workbookLuid)
        }
        f["sheets"] = field(list(types.sheet), "The sheets contained in this dashboard") { (d: MetaDashboard, _, c, _) in
            c.lineage.workbook(luid: d.workbookLuid).map { c.lineage.sheets($0.sheetIds) } ?? []
        }
        return f
    }

    /// The root value.
    struct Root: Sendable {}
}
