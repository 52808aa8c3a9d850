import ArgumentParser
import Foundation
import Freshet
import FreshetServer

/// `freshet content …`: browse a connection's site.
struct ContentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "content",
        abstract: "Browse a Tableau site: collections, content search, usage statistics, server info, the current session.",
        discussion: """
            Tableau's paging is carried through: collections page from 1, content search from 0 (as \
            Tableau counts them); each listing ends with the page it shows and the total.

            Examples:
              freshet content collections --connection prod
              freshet content search sales --type workbook --type datasource --connection prod --limit 20
              freshet content usage workbook 3f1c…e9 --connection prod
              freshet content server-info --connection prod --json
              freshet content session --connection prod

            Environment: FRESHET_DATA_DIR (default ~/.freshet), FRESHET_MASTER_KEY.
            Exit codes: 0 success, 1 Tableau refused, 2 usage or configuration error, 5 Tableau unreachable.
            """,
        subcommands: [Collections.self, Search.self, Usage.self, ServerInfo.self, Session.self]
    )

    struct Collections: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the site's collections.", discussion: "Example: freshet content collections --connection prod --page-size 20\n\n" + TableauCLI.contentFooter
        )
        @OptionGroup var target: ConnectionOption
        @Option(help: "Page number (1-based).") var page = 1
        @Option(help: "Collections per page (1…1000).") var pageSize = 100
        @OptionGroup var location: DataLocation
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            try await TableauCLI.run {
                let result = try await location.runtime().collections(
                    connection: target.connection, pageNumber: page, pageSize: pageSize, actor: Output.actor
                )
                if json { return Output.json(result) }
                Output.table(
                    ["ID", "NAME", "ITEMS", "VISIBILITY", "DESCRIPTION"],
                    result.collections.map { [$0.id, $0.name, $0.totalItemCount.map(String.init) ?? "", $0.visibility ?? "", $0.description] }
                )
                Output.line(TableauCLI.pageLine(result.paging, noun: "collections"))
            }
        }
    }

    struct Search: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Search the site's content (Tableau's versionless search).",
            discussion: "Example: freshet content search \"sales dashboard\" --type workbook --connection prod --page 1 --limit 10\n\n" + TableauCLI.contentFooter
        )
        @Argument(help: "Search terms (space or comma separated).") var terms: String = ""
        @Option(name: .customLong("type"), help: "Content type to include (repeatable): workbook, datasource, project, view, flow…")
        var types: [String] = []
        @Option(help: "Page index (0-based, as Tableau counts it).") var page = 0
        @Option(help: "Hits per page (1…2000).") var limit = 10
        @OptionGroup var target: ConnectionOption
        @OptionGroup var location: DataLocation
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            try await TableauCLI.run {
                let query = ContentSearchQuery(terms: terms, types: types, page: page, limit: limit)
                let result = try await location.runtime().searchContent(connection: target.connection, query: query, actor: Output.actor)
                if json { return Output.json(result) }
                Output.table(
                    ["TYPE", "ID", "TITLE", "PROJECT", "OWNER", "HITS"],
                    result.hits.map { [$0.type, $0.id, $0.title, $0.projectName ?? "", $0.ownerName ?? "", $0.hitsTotal.map(String.init) ?? ""] }
                )
                Output.line("Page \(result.pageIndex) (0-based): \(result.hits.count) of \(result.total) hits, \(result.limit) per page\(result.hasNext ? "; next: --page \(result.pageIndex + 1)" : "")")
            }
        }
    }

    struct Usage: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show usage statistics of a workbook or data source.",
            discussion: "Example: freshet content usage datasource 3f1c…e9 --connection prod\n\n" + TableauCLI.contentFooter
        )
        @Argument(help: "workbook or datasource.") var type: UsageContentType
        @Argument(help: "The item's id (LUID).") var id: String
        @OptionGroup var target: ConnectionOption
        @OptionGroup var location: DataLocation
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            try await TableauCLI.run {
                let usage = try await location.runtime().usageStats(connection: target.connection, type: type, id: id, actor: Output.actor)
                if json { return Output.json(usage) }
                Output.line("\(usage.type.rawValue) \(usage.id)")
                Output.line("  views in all:           \(usage.hitsTotal)")
                Output.line("  last two weeks:         \(usage.hitsLastTwoWeeksTotal)")
                Output.line("  last month:             \(usage.hitsLastOneMonthTotal)")
                Output.line("  last three months:      \(usage.hitsLastThreeMonthsTotal)")
                Output.line("  last twelve months:     \(usage.hitsLastTwelveMonthsTotal)")
            }
        }
    }

    struct ServerInfo: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "server-info", abstract: "Show the server's product and REST API versions.",
            discussion: "Example: freshet content server-info --connection prod\n\n" + TableauCLI.contentFooter
        )
        @OptionGroup var target: ConnectionOption
        @OptionGroup var location: DataLocation
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            try await TableauCLI.run {
                let info = try await location.runtime().serverInfo(connection: target.connection, actor: Output.actor)
                if json { return Output.json(info) }
                Output.line("Tableau \(info.productVersion) (build \(info.build)), REST API \(info.restApiVersion)")
            }
        }
    }

    struct Session: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show who and where the connection's session is.", discussion: "Example: freshet content session --connection prod\n\n" + TableauCLI.contentFooter
        )
        @OptionGroup var target: ConnectionOption
        @OptionGroup var location: DataLocation
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            try await TableauCLI.run {
                let session = try await location.runtime().currentSession(connection: target.connection, actor: Output.actor)
                if json { return Output.json(session) }
                Output.line("site: \(session.siteName) (\(session.siteContentUrl.isEmpty ? "Default site" : session.siteContentUrl), id \(session.siteId))")
                Output.line("user: \(session.userName) (\(session.siteRole), id \(session.userId))")
            }
        }
    }
}

extension UsageContentType: ExpressibleByArgument {}
