/// What reads a database table, from the Metadata API.
public struct TableLineage: Sendable, Equatable {
    /// Published data sources that read the table.
    public var dataSources: [LineageItem]
    /// Workbooks that read the table, directly or through a published data source.
    public var workbooks: [LineageItem]
}

/// A workbook or data source named by the Metadata API.
public struct LineageItem: Sendable, Equatable, Hashable {
    public var id: String
    public var name: String
}

extension TableauClient {
    /// Runs a Metadata API (GraphQL) query; returns `data`, throwing when Tableau reports errors and no data.
    public func metadataQuery(_ query: String, variables: [String: String] = [:]) async throws(TableauError) -> JSONValue {
        let json = try await sendJSON("POST", .metadata, json: ["query": query, "variables": variables])
        if let data = json["data"], data != .null { return data }
        let messages = (json["errors"]?.elements ?? []).compactMap { $0["message"]?.string }
        throw TableauError(kind: .tableau, status: 200, summary: "Metadata API error", detail: messages.joined(separator: "; "))
    }

    /// Which published data sources and workbooks read `database.schema.table`.
    public func downstreamOfTable(database: String, schema: String, table: String) async throws(TableauError) -> TableLineage {
        let query = """
            query downstream($name: String, $schema: String) {
              databaseTables(filter: {name: $name, schema: $schema}) {
                name schema
                database { name }
                downstreamDatasources { luid name }
                downstreamWorkbooks { luid name }
              }
            }
            """
        let data = try await metadataQuery(query, variables: ["name": table, "schema": schema])
        var sources: [LineageItem] = []
        var workbooks: [LineageItem] = []
        for node in data["databaseTables"]?.elements ?? [] where node.at("database.name")?.string?.lowercased() == database.lowercased() {
            for ds in node["downstreamDatasources"]?.elements ?? [] {
                if let id = ds["luid"]?.string { sources.append(LineageItem(id: id, name: ds["name"]?.string ?? "")) }
            }
            for wb in node["downstreamWorkbooks"]?.elements ?? [] {
                if let id = wb["luid"]?.string { workbooks.append(LineageItem(id: id, name: wb["name"]?.string ?? "")) }
            }
        }
        return TableLineage(dataSources: Self.unique(sources), workbooks: Self.unique(workbooks))
    }

    private static func unique(_ items: [LineageItem]) -> [LineageItem] {
        var seen: Set<String> = []
        return items.filter { seen.insert($0.id).inserted }
    }
}
