import Foundation

/// The connections an item gets from its seed: a data source connects to each database of its
/// upstream tables (or, without lineage, to one server of its own type); a workbook has one
/// `sqlproxy` connection per published data source it reads plus one per database it reads directly.
enum ConnectionDefaults {
    static let userName = "freshet"

    static func connections(of item: ContentItem, site: Site) -> [ItemConnection] {
        var result: [ItemConnection] = []
        if item.kind == .workbook {
            for datasourceId in item.upstreamDatasourceIds {
                guard let datasource = site.datasources[datasourceId] else { continue }
                result.append(
                    ItemConnection(
                        id: SeedLoader.stableID(item.id, "connection", datasourceId), type: "sqlproxy", serverAddress: "localhost",
                        serverPort: "8060", userName: "", embedPassword: false, queryTaggingEnabled: false,
                        datasource: (datasource.id, datasource.name)
                    )
                )
            }
        }
        var databases: [(name: String, type: String)] = []
        for tableId in item.upstreamTableIds {
            guard let table = site.tables.first(where: { $0.id == tableId }) else { continue }
            if !databases.contains(where: { $0.name == table.database && $0.type == table.connectionType }) {
                databases.append((table.database, table.connectionType))
            }
        }
        for database in databases {
            result.append(
                ItemConnection(
                    id: SeedLoader.stableID(item.id, "connection", database.name, database.type), type: database.type,
                    serverAddress: "\(database.name).db.example.com",
                    serverPort: MetadataLineage.defaultPort[database.type].map(String.init) ?? "", userName: userName,
                    embedPassword: true, queryTaggingEnabled: false, datasource: nil
                )
            )
        }
        if result.isEmpty && item.kind == .datasource {
            let live = item.type != "hyper"
            result.append(
                ItemConnection(
                    id: SeedLoader.stableID(item.id, "connection"), type: item.type,
                    serverAddress: live ? "\(item.contentUrl.lowercased()).db.example.com" : "",
                    serverPort: live ? MetadataLineage.defaultPort[item.type].map(String.init) ?? "" : "",
                    userName: live ? userName : "", embedPassword: live, queryTaggingEnabled: false, datasource: nil
                )
            )
        }
        return result
    }
}
