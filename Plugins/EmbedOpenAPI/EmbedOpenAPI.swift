import Foundation
import PackagePlugin

/// Embeds the target's `openapi.yaml` (the API's one description) into the build as
/// `OpenAPIDocument.yaml`, so the server serves exactly the file in the repository.
@main
struct EmbedOpenAPI: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: any Target) async throws -> [Command] {
        let input = target.directoryURL.appending(path: "openapi.yaml")
        let output = context.pluginWorkDirectoryURL.appending(path: "OpenAPIDocument+Embedded.swift")
        return [
            .buildCommand(
                displayName: "Embedding openapi.yaml", executable: try context.tool(named: "freshet-embed").url,
                arguments: [input.path(), output.path()], inputFiles: [input], outputFiles: [output])
        ]
    }
}
