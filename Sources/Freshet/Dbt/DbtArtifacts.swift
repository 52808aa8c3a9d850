package import Foundation

/// What Freshet reads from dbt's `target/run_results.json` (schema v6; older and newer versions
/// parse too): which nodes ran and how each ended. Parsing is lenient: unknown fields are ignored,
/// a result without `unique_id` or `status` is skipped.
package struct DbtRunResults: Sendable, Equatable {
    /// One executed node.
    package struct Result: Sendable, Equatable {
        /// `model.project.name`, `seed.…`, `snapshot.…`, `test.…`.
        package var uniqueId: String
        /// dbt's status: `success`, `error`, `skipped`, `pass`, `fail`, `warn`, `no-op`, `reused`…
        package var status: String
        /// The relation the node built, as dbt quotes it (`"db"."schema"."table"`); dbt ≥ 1.8 writes it for models.
        package var relationName: String?

        package init(uniqueId: String, status: String, relationName: String? = nil) {
            self.uniqueId = uniqueId
            self.status = status
            self.relationName = relationName
        }

        /// `model`, `seed`, `snapshot`, `test`… (the first part of the unique id).
        package var resourceType: String { String(uniqueId.prefix { $0 != "." }) }
    }

    package var results: [Result]
    /// `metadata.dbt_schema_version`, when present.
    package var schemaVersion: String?

    package init(results: [Result], schemaVersion: String? = nil) {
        self.results = results
        self.schemaVersion = schemaVersion
    }

    /// Parses the JSON of `run_results.json`.
    package init(json data: Data) throws(DbtArtifactError) {
        let object = try DbtArtifactError.object(data, file: "run_results.json")
        guard let results = object["results"] as? [Any] else {
            throw DbtArtifactError("run_results.json has no \"results\" array: is it dbt's run_results.json?")
        }
        self.results = results.compactMap { element in
            guard let result = element as? [String: Any], let id = result["unique_id"] as? String,
                let status = result["status"] as? String
            else { return nil }
            return Result(uniqueId: id, status: status.lowercased(), relationName: result["relation_name"] as? String)
        }
        schemaVersion = (object["metadata"] as? [String: Any])?["dbt_schema_version"] as? String
    }
}

/// What Freshet reads from dbt's `target/manifest.json` (schema v12; lenient likewise): each
/// node's relation and the exposures with what they depend on.
package struct DbtManifest: Sendable, Equatable {
    /// A model, seed or snapshot and the relation it builds.
    package struct Node: Sendable, Equatable {
        package var uniqueId: String
        package var resourceType: String
        package var database: String?
        package var schema: String?
        /// The table's name in the database (`alias`, else `name`).
        package var identifier: String?
        package var relationName: String?

        package init(
            uniqueId: String, resourceType: String, database: String? = nil, schema: String? = nil, identifier: String? = nil,
            relationName: String? = nil
        ) {
            self.uniqueId = uniqueId
            self.resourceType = resourceType
            self.database = database
            self.schema = schema
            self.identifier = identifier
            self.relationName = relationName
        }

        /// `database.schema.identifier`, from the parts or else from `relation_name`.
        package var table: TableName? {
            if let database, let schema, let identifier, let table = TableName.parts(database, schema, identifier) { return table }
            return relationName.flatMap(DbtRelation.table)
        }
    }

    /// A dbt exposure (a dashboard, notebook… that reads models).
    package struct Exposure: Sendable, Equatable {
        package var uniqueId: String
        package var name: String
        package var url: String?
        /// Unique ids of the nodes it depends on.
        package var dependsOn: [String]

        package init(uniqueId: String, name: String, url: String?, dependsOn: [String]) {
            self.uniqueId = uniqueId
            self.name = name
            self.url = url
            self.dependsOn = dependsOn
        }
    }

    package var nodes: [String: Node]
    package var exposures: [Exposure]
    package var schemaVersion: String?

    package init(nodes: [String: Node], exposures: [Exposure], schemaVersion: String? = nil) {
        self.nodes = nodes
        self.exposures = exposures
        self.schemaVersion = schemaVersion
    }

    /// Parses the JSON of `manifest.json`.
    package init(json data: Data) throws(DbtArtifactError) {
        let object = try DbtArtifactError.object(data, file: "manifest.json")
        guard object["nodes"] != nil || object["exposures"] != nil else {
            throw DbtArtifactError("manifest.json has neither \"nodes\" nor \"exposures\": is it dbt's manifest.json?")
        }
        var nodes: [String: Node] = [:]
        for (id, value) in object["nodes"] as? [String: Any] ?? [:] {
            guard let node = value as? [String: Any] else { continue }
            nodes[id] = Node(
                uniqueId: id, resourceType: node["resource_type"] as? String ?? String(id.prefix { $0 != "." }),
                database: node["database"] as? String, schema: node["schema"] as? String,
                identifier: node["alias"] as? String ?? node["identifier"] as? String ?? node["name"] as? String,
                relationName: node["relation_name"] as? String)
        }
        self.nodes = nodes
        exposures = (object["exposures"] as? [String: Any] ?? [:]).compactMap { id, value in
            guard let exposure = value as? [String: Any] else { return nil }
            let dependsOn = (exposure["depends_on"] as? [String: Any])?["nodes"] as? [String] ?? []
            return Exposure(uniqueId: id, name: exposure["name"] as? String ?? id, url: exposure["url"] as? String, dependsOn: dependsOn)
        }.sorted { $0.uniqueId < $1.uniqueId }
        schemaVersion = (object["metadata"] as? [String: Any])?["dbt_schema_version"] as? String
    }
}

/// A dbt artifact that cannot be read; the message says which file and why.
package struct DbtArtifactError: Error, Sendable, Equatable, CustomStringConvertible {
    package var description: String

    package init(_ description: String) { self.description = description }

    static func object(_ data: Data, file: String) throws(DbtArtifactError) -> [String: Any] {
        let parsed: Any
        do { parsed = try JSONSerialization.jsonObject(with: data) } catch {
            throw DbtArtifactError("\(file) is not JSON: \(error.localizedDescription)")
        }
        guard let object = parsed as? [String: Any] else { throw DbtArtifactError("\(file) is not a JSON object") }
        return object
    }
}

extension TableName {
    /// The table of these three parts; nil when one is empty or contains a dot.
    static func parts(_ database: String, _ schema: String, _ table: String) -> TableName? {
        let parts = [database, schema, table].map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.allSatisfy({ !$0.isEmpty }) else { return nil }
        return TableName(parts.joined(separator: "."))
    }
}
