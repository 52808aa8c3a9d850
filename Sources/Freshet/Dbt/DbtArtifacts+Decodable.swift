import Foundation

/// Decoding the artifacts from a larger JSON document (the API's `dbt` target), as leniently as
/// `init(json:)`: members Freshet does not read are ignored, entries it cannot read are skipped.
extension DbtRunResults: Decodable {
    private enum Keys: String, CodingKey { case results, metadata, uniqueId = "unique_id", status, relationName = "relation_name" }
    private enum MetadataKeys: String, CodingKey { case schemaVersion = "dbt_schema_version" }

    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Keys.self)
        var list = try container.nestedUnkeyedContainer(forKey: .results)
        var results: [Result] = []
        while !list.isAtEnd {
            guard let entry = try? list.nestedContainer(keyedBy: Keys.self) else {
                _ = try? list.decode(Ignored.self)
                continue
            }
            if let id = try? entry.decode(String.self, forKey: .uniqueId), let status = try? entry.decode(String.self, forKey: .status) {
                let relation = try? entry.decodeIfPresent(String.self, forKey: .relationName)
                results.append(Result(uniqueId: id, status: status.lowercased(), relationName: relation))
            }
        }
        let metadata = try? container.nestedContainer(keyedBy: MetadataKeys.self, forKey: .metadata)
        self.init(results: results, schemaVersion: try? metadata?.decodeIfPresent(String.self, forKey: .schemaVersion))
    }
}

extension DbtManifest: Decodable {
    private enum Keys: String, CodingKey { case nodes, exposures, metadata }
    private enum MetadataKeys: String, CodingKey { case schemaVersion = "dbt_schema_version" }
    private enum NodeKeys: String, CodingKey {
        case resourceType = "resource_type", database, schema, alias, identifier, name, relationName = "relation_name", url
        case dependsOn = "depends_on"
    }
    private enum DependsKeys: String, CodingKey { case nodes }
    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Keys.self)
        var nodes: [String: Node] = [:]
        if let all = try? container.nestedContainer(keyedBy: Key.self, forKey: .nodes) {
            for key in all.allKeys {
                guard let node = try? all.nestedContainer(keyedBy: NodeKeys.self, forKey: key) else { continue }
                func text(_ member: NodeKeys) -> String? { try? node.decodeIfPresent(String.self, forKey: member) }
                nodes[key.stringValue] = Node(
                    uniqueId: key.stringValue, resourceType: text(.resourceType) ?? String(key.stringValue.prefix { $0 != "." }),
                    database: text(.database), schema: text(.schema), identifier: text(.alias) ?? text(.identifier) ?? text(.name),
                    relationName: text(.relationName))
            }
        }
        var exposures: [Exposure] = []
        if let all = try? container.nestedContainer(keyedBy: Key.self, forKey: .exposures) {
            for key in all.allKeys {
                guard let exposure = try? all.nestedContainer(keyedBy: NodeKeys.self, forKey: key) else { continue }
                let depends = try? exposure.nestedContainer(keyedBy: DependsKeys.self, forKey: .dependsOn)
                exposures.append(
                    Exposure(
                        uniqueId: key.stringValue, name: (try? exposure.decodeIfPresent(String.self, forKey: .name)) ?? key.stringValue,
                        url: try? exposure.decodeIfPresent(String.self, forKey: .url),
                        dependsOn: (try? depends?.decodeIfPresent([String].self, forKey: .nodes)) ?? []))
            }
        }
        let metadata = try? container.nestedContainer(keyedBy: MetadataKeys.self, forKey: .metadata)
        self.init(
            nodes: nodes, exposures: exposures.sorted { $0.uniqueId < $1.uniqueId },
            schemaVersion: try? metadata?.decodeIfPresent(String.self, forKey: .schemaVersion))
    }
}

/// Any JSON value, read and dropped.
private struct Ignored: Decodable {
    init(from decoder: any Decoder) throws {}
}
