import ArgumentParser
import Foundation
import Freshet
import FreshetServer

/// `freshet token …`: API tokens for the HTTP API, managed on the local database.
struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token",
        abstract: "Create, list and revoke API tokens for the HTTP API.",
        discussion: """
            A token is shown once, when it is created, and stored only as a SHA-256 hash. Scopes: \
            refresh, read, connections:admin, users:admin, audit:read, tableau:passthrough; --admin \
            gives every scope and token management. A refresh token may refresh only what its \
            allow-list names (names or ids, * matches any characters): the connection must match an \
            --allow-connection, and the content its project (--allow-project) or itself \
            (--allow-workbook, --allow-datasource).

            Examples:
              freshet token create airflow --scope refresh --scope read \\
                  --allow-connection prod --allow-project 'Finance*' --expires 90d
              freshet token create ops --admin
              freshet token list
              freshet token revoke airflow

            Environment: FRESHET_DATA_DIR. Exit codes: 0 success, 2 usage or configuration error.
            """,
        subcommands: [Create.self, List.self, Revoke.self]
    )

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a token and print it (once).")
        @Argument(help: "A unique name for the token (the audit log's actor is token:NAME).") var name: String
        @Option(name: .customLong("scope"), help: "A scope (repeatable): refresh, read, connections:admin, users:admin, audit:read, tableau:passthrough.")
        var scopes: [String] = []
        @Flag(help: "An admin token: every scope, all content, and token management.") var admin = false
        @Option(name: .customLong("allow-connection"), help: "Connection name or id pattern a refresh may use (repeatable).")
        var connections: [String] = []
        @Option(name: .customLong("allow-project"), help: "Project name or id pattern whose content may be refreshed (repeatable).")
        var projects: [String] = []
        @Option(name: .customLong("allow-workbook"), help: "Workbook name or id pattern that may be refreshed (repeatable).")
        var workbooks: [String] = []
        @Option(name: .customLong("allow-datasource"), help: "Data source name or id pattern that may be refreshed (repeatable).")
        var datasources: [String] = []
        @Option(help: "Expire after this long: 90m, 12h, 30d, 8w.") var expires: String?
        @OptionGroup var location: DataLocation
        @Flag(help: "Print JSON (with the token in the \"token\" field).") var json = false

        func validate() throws {
            for scope in scopes where TokenScope(named: scope) == nil {
                throw ArgumentParser.ValidationError(
                    "Unknown scope \"\(scope)\"; scopes are \(TokenScope.allCases.map(\.rawValue).joined(separator: ", ")).")
            }
            if let expires, TokenExpiry.seconds(expires) == nil {
                throw ArgumentParser.ValidationError("--expires must look like 90m, 12h, 30d or 8w.")
            }
        }

        func run() async throws {
            try await CLI.run {
                let allowList = TokenAllowList(
                    connections: connections.map(GlobPattern.init), projects: projects.map(GlobPattern.init),
                    workbooks: workbooks.map(GlobPattern.init), datasources: datasources.map(GlobPattern.init))
                let (token, secret) = try await location.runtime().tokens.create(
                    name: name, scopes: Set(scopes.compactMap(TokenScope.init(named:))), isAdmin: admin, allowList: allowList,
                    expiresAt: expires.flatMap(TokenExpiry.seconds).map { Date().addingTimeInterval($0) }, actor: Output.actor)
                if json { return Output.json(CreatedTokenOutput(token: secret, details: APITokenView(token))) }
                Output.line("Created API token \(token.name) (shown only now; keep it safe):")
                Output.line("  \(secret)")
                if token.scopes.contains(.refresh) && !token.isAdmin && token.allowList.isEmpty {
                    Output.line("Note: its allow-list is empty, so it may not refresh anything yet.")
                }
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List tokens (never their text).")
        @OptionGroup var location: DataLocation
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            try await CLI.run {
                let tokens = try await location.runtime().tokens.list()
                if json { return Output.json(tokens) }
                if tokens.isEmpty { return Output.line("No API tokens yet. Create one with `freshet token create NAME --scope …`.") }
                Output.table(
                    ["NAME", "STARTS WITH", "SCOPES", "EXPIRES", "STATUS"],
                    tokens.map { token in
                        [
                            token.name, token.hint + "…", token.isAdmin ? "admin" : token.scopes.joined(separator: ","),
                            token.expiresAt?.ISO8601Format() ?? "never",
                            token.revokedAt != nil ? "revoked" : (token.expiresAt.map { $0 <= Date() } ?? false) ? "expired" : "active",
                        ]
                    })
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a token: it is refused from now on.")
        @Argument(help: "Token name or id.") var token: String
        @OptionGroup var location: DataLocation

        func run() async throws {
            try await CLI.run {
                let revoked = try await location.runtime().tokens.revoke(token, actor: Output.actor)
                Output.line("Revoked API token \(revoked.name).")
            }
        }
    }
}

/// `freshet token create --json`.
private struct CreatedTokenOutput: Encodable {
    var token: String
    var details: APITokenView
}
