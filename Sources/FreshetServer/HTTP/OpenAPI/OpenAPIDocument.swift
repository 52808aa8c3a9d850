/// The OpenAPI 3.1 document of everything the server serves, at `GET /api/v1/openapi.yaml`:
/// `OpenAPIDocument.yaml` is the text of `Sources/FreshetServer/openapi.yaml`, embedded at
/// build time by the EmbedOpenAPI plugin (edit the file, never a copy). Kept true by
/// `OpenAPIDocumentTests` (every route documented, every documented route served, responses
/// valid) and by schemathesis against a live server (Tests/api).
package enum OpenAPIDocument {}
