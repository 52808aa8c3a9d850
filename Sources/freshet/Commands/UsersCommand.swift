import ArgumentParser
import Foundation
import Freshet
import FreshetServer

/// `freshet users …`: list and look up site users, change site roles, provision and deprovision.
struct UsersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "users",
        abstract: "List and look up Tableau site users, set site roles, provision and deprovision.",
        discussion: """
            Needs a connection whose PAT belongs to a site or server administrator. Freshet never creates \
            or deletes Tableau users: provisioning sets the granted role of a user who has signed in to \
            Tableau at least once; deprovisioning sets Unlicensed only when the revoked role is the user's \
            current site role.

            Examples:
              freshet users list --connection prod --role Viewer --page-size 50
              freshet users show ana@example.com --connection prod
              freshet users set-role ana@example.com Explorer --connection prod
              freshet users provision ana@example.com Creator --connection prod --event-id grant-1842
              freshet users deprovision ana@example.com Creator --connection prod --json

            Environment: FRESHET_DATA_DIR (default ~/.freshet), FRESHET_MASTER_KEY.
            Exit codes: 0 success, 1 Tableau or a rule refused (unknown user or role, PAT not an \
            administrator), 2 usage or configuration error, 5 Tableau unreachable.
            """,
        subcommands: [List.self, Show.self, SetRole.self, Provision.self, Deprovision.self]
    )

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the site's users, one page at a time (Tableau's paging).",
            discussion: "Example: freshet users list --connection prod --role Creator --page 2 --page-size 100\n\n" + TableauCLI.usersFooter
        )
        @OptionGroup var target: ConnectionOption
        @Option(help: "Only users with this site role.") var role: String?
        @Option(help: "Only the user with this exact username.") var name: String?
        @Option(help: "Only the user with this exact email.") var email: String?
        @Option(help: "Page number (1-based).") var page = 1
        @Option(help: "Users per page (1…1000).") var pageSize = 100
        @OptionGroup var location: DataLocation
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            try await TableauCLI.run {
                let query = UserListQuery(pageNumber: page, pageSize: pageSize, name: name, email: email, siteRole: role)
                let result = try await location.runtime().users(connection: target.connection, query: query, actor: Output.actor)
                if json { return Output.json(result) }
                Output.table(
                    ["NAME", "EMAIL", "SITE ROLE", "LAST LOGIN"],
                    result.users.map { [$0.name, $0.email ?? "", $0.siteRole, $0.lastLogin?.ISO8601Format() ?? "never"] }
                )
                Output.line(TableauCLI.pageLine(result.paging, noun: "users"))
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show one user, found by Tableau username or email.",
            discussion: "Example: freshet users show ana@example.com --connection prod\n\n" + TableauCLI.usersFooter
        )
        @Argument(help: "Tableau username or email.") var user: String
        @OptionGroup var target: ConnectionOption
        @OptionGroup var location: DataLocation
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            try await TableauCLI.run {
                let found = try await location.runtime().user(connection: target.connection, identity: user, actor: Output.actor)
                if json { return Output.json(found) }
                Output.line(found.name + (found.fullName.map { "  (\($0))" } ?? ""))
                Output.line("  id:         \(found.id)")
                Output.line("  email:      \(found.email ?? "")")
                Output.line("  site role:  \(found.siteRole)")
                Output.line("  last login: \(found.lastLogin?.ISO8601Format() ?? "never")")
            }
        }
    }

    struct SetRole: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set-role",
            abstract: "Set a user's site role (audited).",
            discussion: """
                Roles: Viewer, Explorer, ExplorerCanPublish, Creator, SiteAdministratorExplorer, \
                SiteAdministratorCreator, Unlicensed.
                Example: freshet users set-role ana@example.com Explorer --connection prod
                """
                + "\n\n" + TableauCLI.usersFooter
        )
        @Argument(help: "Tableau username or email.") var user: String
        @Argument(help: "The new site role.") var role: String
        @OptionGroup var target: ConnectionOption
        @OptionGroup var location: DataLocation
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            try await TableauCLI.run {
                let change = try await location.runtime().setSiteRole(connection: target.connection, user: user, role: role, actor: Output.actor)
                if json { return Output.json(change) }
                Output.line(
                    change.changed
                        ? "\(change.user.name): site role \(change.previousRole) → \(change.user.siteRole)."
                        : "\(change.user.name) already has the site role \(change.previousRole); nothing changed."
                )
            }
        }
    }

    struct Provision: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Handle an access grant: set the user's site role to the granted role.",
            discussion: """
                The same rules as the access-event endpoint: the user must already exist on the site (never \
                created). Recorded and audited; a repeated --event-id prints the first outcome.
                Example: freshet users provision ana@example.com Creator --connection prod --event-id grant-1842
                """
                + "\n\n" + TableauCLI.usersFooter
        )
        @Argument(help: "Tableau username or email.") var user: String
        @Argument(help: "The granted site role.") var role: String
        @OptionGroup var target: ConnectionOption
        @Option(help: "The event id (default: a new one), for idempotent retries.") var eventId: String?
        @OptionGroup var location: DataLocation
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            try await TableauCLI.accessEvent(.granted, user: user, role: role, connection: target.connection, eventId: eventId, location: location, json: json)
        }
    }

    struct Deprovision: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Handle an access revocation: set Unlicensed if the revoked role is the user's current role.",
            discussion: """
                A stale or secondary grant (the user's site role is another one) changes nothing, and the \
                reason is printed and recorded. Users are never deleted.
                Example: freshet users deprovision ana@example.com Creator --connection prod --event-id revoke-77
                """
                + "\n\n" + TableauCLI.usersFooter
        )
        @Argument(help: "Tableau username or email.") var user: String
        @Argument(help: "The revoked site role.") var role: String
        @OptionGroup var target: ConnectionOption
        @Option(help: "The event id (default: a new one), for idempotent retries.") var eventId: String?
        @OptionGroup var location: DataLocation
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            try await TableauCLI.accessEvent(.revoked, user: user, role: role, connection: target.connection, eventId: eventId, location: location, json: json)
        }
    }
}

/// `--connection NAME`, for commands that talk to Tableau.
struct ConnectionOption: ParsableArguments {
    @Option(help: "The connection to use (see `freshet connection list`).") var connection: String
}

/// Running commands that talk to Tableau: errors become one line and the documented exit codes
/// (1 refused by Tableau or a rule, 2 usage or configuration, 5 Tableau unreachable).
enum TableauCLI {
    static func run(_ body: () async throws -> Void) async throws {
        try await CLI.run {
            do {
                try await body()
            } catch let error as AccessError {
                Output.error(error.description)
                throw exitCode(error)
            }
        }
    }

    static func exitCode(_ error: AccessError) -> ExitCode {
        if case .tableau(let gatewayError) = error, gatewayError.isUnreachable { return ExitCode(5) }
        return ExitCode(error.isRefusal ? 1 : 2)
    }

    /// The environment and exit codes, for every users subcommand's help.
    static let usersFooter = """
        Environment: FRESHET_DATA_DIR (default ~/.freshet), FRESHET_MASTER_KEY.
        Exit codes: 0 success, 1 Tableau or a rule refused, 2 usage or configuration error, 5 Tableau unreachable.
        """

    /// The environment and exit codes, for every content subcommand's help.
    static let contentFooter = """
        Environment: FRESHET_DATA_DIR (default ~/.freshet), FRESHET_MASTER_KEY.
        Exit codes: 0 success, 1 Tableau refused, 2 usage or configuration error, 5 Tableau unreachable.
        """

    static func pageLine(_ paging: Paging, noun: String) -> String {
        let pages = max(1, (paging.totalAvailable + paging.pageSize - 1) / max(1, paging.pageSize))
        return "Page \(paging.pageNumber) of \(pages) (\(paging.totalAvailable) \(noun) in all, \(paging.pageSize) per page)"
    }

    /// Provision or deprovision through the access-event rules; exits 1 when refused, 5 when
    /// Tableau could not be reached.
    static func accessEvent(
        _ type: AccessEventKind, user: String, role: String, connection: String, eventId: String?, location: DataLocation, json: Bool
    ) async throws {
        var status = AccessEventStatus.applied
        var unreachable = false
        try await run {
            let event = AccessEvent(eventId: eventId ?? "cli-\(UUID().uuidString.lowercased())", type: type, connection: connection, user: user, role: role)
            let runtime = try await location.runtime()
            let result = try await runtime.handleAccessEvent(event, actor: Output.actor)
            status = result.record.status
            unreachable = status == .failed
            if json { return Output.json(result) }
            let record = result.record
            Output.line("\(record.status.rawValue)\(result.repeated ? " (event \(record.eventId) was already handled)" : ""): \(record.message)")
            Output.line("  event: \(record.eventId)  connection: \(record.connectionName)  user: \(record.user)  role: \(record.role)")
        }
        if status == .refused { throw ExitCode(1) }
        if unreachable { throw ExitCode(5) }
    }
}
