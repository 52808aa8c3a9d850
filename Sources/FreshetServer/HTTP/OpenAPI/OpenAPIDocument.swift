/// The OpenAPI 3.1 document of everything the server serves, at `GET /api/v1/openapi.yaml`.
/// Kept true by `OpenAPIDocumentTests` (every route documented, every documented route served).
public enum OpenAPIDocument {
    /// The whole document: its parts, in order, one per file of this folder.
    public static let yaml = [paths, accessPaths, freshnessPaths, alertPaths, components, accessSchemas, freshnessSchemas, alertSchemas].joined(separator: "\n")
}
