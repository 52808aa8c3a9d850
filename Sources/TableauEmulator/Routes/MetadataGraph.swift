import Foundation
import GraphQL

/// Answers Metadata API queries (`POST /api/metadata/graphql`) from the seeded lineage.
///
/// The body is `{"query":…,"variables":{…},"operationName":…}`. The answer is HTTP 200 JSON
/// `{"data":…}` plus `"errors":[…]` when there are errors or warnings; a query that does not parse or
/// validate gets `"data":null`. A body that is not such a JSON object gets HTTP 400.
struct MetadataGraph {
    let site: Site
    /// When each item's extract was last refreshed successfully, fully and incrementally.
    var extractTimes = ExtractTimes()

    func answer(_ body: [UInt8]) async -> Reply {
        let request: GraphQLRequest
        do {
            request = try JSONDecoder().decode(GraphQLRequest.self, from: Data(body))
        } catch {
            return .json(
                400,
                MetadataJSON.response(
                    data: nil,
                    errors: [
                        GraphQLError(
                            message: "The request body must be a JSON object with a \"query\" string and optional \"variables\" and \"operationName\".",
                            extensions: ["severity": "ERROR", "code": "INVALID_ARGUMENT"]
                        )
                    ]
                )
            )
        }
        let schema: GraphQLSchema
        switch MetadataSchema.shared {
        case .success(let built):
            schema = built
        case .failure(let error):
            return .json(500, MetadataJSON.response(data: nil, errors: [GraphQLError(message: "Metadata schema error: \(error)")]))
        }

        let document: Document
        do {
            document = try GraphQL.parse(source: Source(body: request.query, name: "GraphQL request"))
        } catch let error as GraphQLError {
            return .json(200, MetadataJSON.response(data: nil, errors: [Self.classified(error, "InvalidSyntax")]))
        } catch {
            return .json(200, MetadataJSON.response(data: nil, errors: [GraphQLError(message: "Invalid Syntax: \(error)")]))
        }
        let problems = GraphQL.validate(schema: schema, ast: document)
        guard problems.isEmpty else {
            return .json(200, MetadataJSON.response(data: nil, errors: problems.map { Self.classified($0, "ValidationError") }))
        }

        let context = MetadataContext(lineage: MetadataLineage(site: site, extractTimes: extractTimes))
        let result: GraphQLResult
        do {
            result = try await GraphQL.execute(
                schema: schema, documentAST: document, rootValue: MetadataSchema.Root(), context: context,
                variableValues: request.variables, operationName: request.operationName
            )
        } catch {
            return .json(200, MetadataJSON.response(data: nil, errors: [GraphQLError(error)]))
        }
        return .json(200, MetadataJSON.response(data: result.data, errors: result.errors + context.warnings))
    }

    /// `error` with `extensions.classification` (graphql-java's field for pre-execution errors).
    private static func classified(_ error: GraphQLError, _ classification: String) -> GraphQLError {
        var extensions = error.extensions
        extensions["classification"] = extensions["classification"] ?? .string(classification)
        return GraphQLError(message: error.message, locations: error.locations, path: error.path, extensions: extensions)
    }
}
