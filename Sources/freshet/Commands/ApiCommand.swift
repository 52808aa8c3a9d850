import ArgumentParser
import Foundation
import Freshet
import FreshetServer

/// `freshet api METHOD PATH`: any Tableau REST call through a connection's session.
struct ApiCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "api",
        abstract: "Call any Tableau REST endpoint through a connection's session (audited).",
        discussion: """
            PATH is versioned (/api/3.24/sites/{site}/users, or relative: sites/{site}/users, serverinfo) \
            or versionless (/api/-/search). {site} stands for the session's site id. Sign-in, sign-out and \
            site switching are refused: the session is shared. The audit log records the method and path, \
            never the body. Tableau's answer is printed as it came (JSON pretty-printed).

            Examples:
              freshet api GET 'sites/{site}/users?pageSize=5' --connection prod
              freshet api GET /api/-/search --query terms=sales --query limit=5 --connection prod
              freshet api PUT 'sites/{site}/users/9f9e…' --data '{"user":{"siteRole":"Viewer"}}' --connection prod
              freshet api POST /api/metadata/graphql --data @query.json --connection prod

            Environment: FRESHET_DATA_DIR (default ~/.freshet), FRESHET_MASTER_KEY.
            Exit codes: 0 success (2xx), 1 Tableau refused (its status, code and message are printed), \
            2 usage or configuration error, 5 Tableau unreachable.
            """
    )

    @Argument(help: "GET, POST, PUT, PATCH or DELETE.") var method: String
    @Argument(help: "The REST path (see above).") var path: String
    @OptionGroup var target: ConnectionOption
    @Option(help: "Request body: JSON text, @file, or @- for standard input.") var data: String?
    @Option(name: .customLong("query"), help: "Query parameter name=value (repeatable).") var queries: [String] = []
    @Option(help: "Content type of the body.") var contentType = "application/json"
    @OptionGroup var location: DataLocation
    @Flag(help: "Print {status, contentType, body} as JSON.") var json = false

    func run() async throws {
        try await TableauCLI.run {
            let query = try queries.map { item -> QueryItem in
                guard let equals = item.firstIndex(of: "="), equals != item.startIndex else {
                    throw ArgumentParser.ValidationError("--query takes name=value, got \(item)")
                }
                return QueryItem(name: String(item[..<equals]), value: String(item[item.index(after: equals)...]))
            }
            let request = try PassThroughRequest(method: method, path: path, query: query, body: try body(), contentType: contentType)
            let response = try await location.runtime().passThrough(connection: target.connection, request: request, actor: Output.actor)
            let parsed = try? JSONSerialization.jsonObject(with: Data(response.body), options: [.fragmentsAllowed])
            if json {
                let envelope: [String: Any] = [
                    "status": response.status, "contentType": response.contentType ?? "", "body": parsed ?? response.text,
                ]
                let data = try JSONSerialization.data(withJSONObject: envelope, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
                return Output.line(String(decoding: data, as: UTF8.self))
            }
            if let parsed, let pretty = try? JSONSerialization.data(withJSONObject: parsed, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes, .fragmentsAllowed]) {
                Output.line(String(decoding: pretty, as: UTF8.self))
            } else if !response.body.isEmpty {
                Output.line(response.text)
            } else {
                Output.line("HTTP \(response.status)")
            }
        }
    }

    /// The body from --data: inline text, @file or @- (standard input).
    func body() throws -> [UInt8]? {
        guard let data else { return nil }
        guard data.hasPrefix("@") else { return Array(data.utf8) }
        let path = String(data.dropFirst())
        if path == "-" { return Array(FileHandle.standardInput.readDataToEndOfFile()) }
        guard let contents = FileManager.default.contents(atPath: path) else {
            throw ArgumentParser.ValidationError("Cannot read the body file \(path).")
        }
        return Array(contents)
    }
}
