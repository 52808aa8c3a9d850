import ArgumentParser
import Foundation
import Freshet
import FreshetAPITypes
import FreshetServer

/// `freshet connection …`: connect Freshet to Tableau sites and check them.
struct ConnectionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "connection",
        abstract: "Add, edit, list, remove and check Tableau connections.",
        discussion: """
            A connection is a Tableau site (server URL + site content URL) and how to sign in to it: a \
            Personal Access Token or a connected app. Secrets are encrypted at rest (AES-GCM) with the \
            master key from FRESHET_MASTER_KEY or the key file in the data directory, and are only ever \
            shown as bullets plus their last 4 characters. Or keep the secret where your team keeps \
            secrets and give Freshet a reference, read at each sign-in and again after Tableau refuses \
            one: env:NAME, file:/absolute/path (a mounted secret rotated in place) or \
            exec:COMMAND ARGS… (a secrets manager's CLI; run without a shell, stdout is the secret, \
            stderr is discarded, FRESHET_SECRET_HELPER_TIMEOUT seconds at most, default 10).

            Examples:
              freshet connection add prod --server https://tableau.example.com/ --site marketing \\
                  --pat-name freshet --secret-env TABLEAU_PAT_SECRET
              freshet connection add prod --server https://tableau.example.com/ --pat-name freshet \\
                  --pat-secret-ref file:/run/secrets/tableau-pat --keep-alive-days 7
              freshet connection check prod
              freshet connection edit prod --site ""        # switch to the Default site
              freshet connection edit prod --pat-secret-ref 'exec:/usr/local/bin/vault kv get -field=secret tableau/prod'

            Environment: FRESHET_DATA_DIR (default ~/.freshet), FRESHET_MASTER_KEY, FRESHET_MASTER_KEY_FILE.
            Exit codes: 0 success, 1 a health check failed, 2 usage or configuration error.
            """,
        subcommands: [Add.self, Edit.self, List.self, Show.self, Remove.self, Check.self]
    )

    /// Options shared by add and edit.
    struct Fields: ParsableArguments {
        @Option(help: "Tableau server URL; https://host/ and a bare host both work.")
        var server: String?

        @Option(help: "Site content URL (the part after /site/ in Tableau's URLs); empty for the Default site.")
        var site: String?

        @Option(help: "Personal Access Token name (exactly as created in Tableau).")
        var patName: String?

        @Option(help: "Connected app client ID.")
        var clientId: String?

        @Option(help: "Connected app secret ID.")
        var secretId: String?

        @Option(help: "Tableau user the connected app signs in as.")
        var username: String?

        @Option(name: .customLong("scope"), help: "Connected app scope (repeatable); defaults cover everything Freshet does.")
        var scopes: [String] = []

        @Option(help: "Use this REST API version instead of negotiating it (e.g. 3.19).")
        var apiVersion: String?

        @Flag(help: "Allow plain http to a non-loopback host.")
        var insecureHttp = false

        @OptionGroup var secret: SecretOptions

        @Option(
            name: .customLong("pat-secret-ref"),
            help: "Read the PAT secret at each sign-in from env:NAME, file:/PATH or 'exec:COMMAND ARGS…' (stored as written; never the value).")
        var patSecretRef: String?

        @Option(name: .customLong("secret-ref"), help: "Like --pat-secret-ref, for the connected app's secret value.")
        var secretRef: String?

        @Option(help: "Sign in at least every N days so an idle Tableau Cloud PAT never lapses (0 turns keep-alive off).")
        var keepAliveDays: Int?

        @Option(help: "Warn when the token has fewer than N days left (default 14; 0 restores the default).")
        var expiryWarningDays: Int?

        func draft(name: String, storedSite: String?) throws -> ConnectionDraft {
            let secretValue = try secret.read()
            guard patSecretRef == nil || secretRef == nil else {
                throw Freshet.ValidationError("Give --pat-secret-ref or --secret-ref, not both.")
            }
            let reference = patSecretRef ?? secretRef
            guard secretValue == nil || reference == nil else {
                throw Freshet.ValidationError("Give the secret or a reference to it (--pat-secret-ref / --secret-ref), not both.")
            }
            let usesApp = clientId != nil || secretId != nil || username != nil
            return ConnectionDraft(
                name: name, serverURL: server, siteContentUrl: site ?? storedSite ?? "", allowInsecureHTTP: insecureHttp,
                apiVersionPin: apiVersion, patName: usesApp ? nil : patName, patSecret: usesApp ? nil : secretValue,
                patSecretRef: usesApp ? nil : reference,
                connectedApp: usesApp
                    ? .init(
                        clientId: clientId, secretId: secretId, secretValue: secretValue, secretValueRef: reference, username: username,
                        scopes: scopes.isEmpty ? nil : scopes)
                    : nil,
                keepAliveDays: keepAliveDays, expiryWarningDays: expiryWarningDays
            )
        }
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a connection.")
        @Argument(help: "Name pipelines use for this connection.") var name: String
        @OptionGroup var fields: Fields
        @OptionGroup var location: DataLocation
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            try await CLI.run {
                let runtime = try await location.runtime()
                let view = try await runtime.connections.add(try fields.draft(name: name, storedSite: nil), actor: Output.actor)
                json ? Output.json(view) : ConnectionCommand.print(try APIConnection(view))
            }
        }
    }

    struct Edit: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Edit a connection.",
            discussion: "Blank --server or --pat-name keep the stored values; the secret changes only when a new one is given; --site \"\" switches to the Default site."
        )
        @Argument var name: String
        @OptionGroup var fields: Fields
        @OptionGroup var location: DataLocation
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            try await CLI.run {
                let runtime = try await location.runtime()
                let stored = try await runtime.connections.show(named: name)
                let view = try await runtime.connections.edit(named: name, with: try fields.draft(name: name, storedSite: stored.siteContentUrl), actor: Output.actor)
                json ? Output.json(view) : ConnectionCommand.print(try APIConnection(view))
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List connections.")
        @OptionGroup var location: DataLocation
        @OptionGroup var remote: RemoteServer
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            try await CLI.run {
                let client = try remote.client()
                let views = try await client != nil ? RemoteReads.connections(client!) : location.runtime().connections.list().map(APIConnection.init)
                if json { return Output.json(views) }
                if views.isEmpty { return Output.line("No connections yet. Add one with `freshet connection add NAME --server URL …`.") }
                Output.table(
                    ["NAME", "SERVER", "SITE", "SIGNS IN WITH", "SECRET"],
                    views.map { view in
                        [
                            view.name, view.serverURL, view.siteContentUrl.isEmpty ? "(Default)" : view.siteContentUrl,
                            view.patName.map { "PAT \($0)" } ?? "app \(view.clientId ?? "") as \(view.username ?? "")", view.secretRef ?? view.secretMasked,
                        ]
                    }
                )
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a connection (secret masked).")
        @Argument var name: String
        @OptionGroup var location: DataLocation
        @OptionGroup var remote: RemoteServer
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            try await CLI.run {
                let client = try remote.client()
                let view = try await client != nil ? RemoteReads.connection(name, client!) : APIConnection(location.runtime().connections.show(named: name))
                json ? Output.json(view) : ConnectionCommand.print(view)
            }
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove a connection.")
        @Argument var name: String
        @OptionGroup var location: DataLocation

        func run() async throws {
            try await CLI.run {
                try await location.runtime().connections.remove(named: name, actor: Output.actor)
                Output.line("Removed connection \(name).")
            }
        }
    }

    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run the five health checks; exits 1 when any fails.",
            discussion: """
                Validate Tableau API Connection, Check Tableau Session & Site, Check Tableau Content Access, \
                Check Tableau User Management Scope, Check Tableau Token Lifetime. A secret reference that \
                cannot be read fails the first check with that reason (Tableau is not contacted); a token \
                with fewer days left than the connection's warning threshold passes with WARN.
                """
        )
        @Argument var name: String
        @OptionGroup var location: DataLocation
        @OptionGroup var remote: RemoteServer
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            var failed = false
            try await CLI.run {
                let client = try remote.client()
                let results = try await client != nil ? RemoteReads.check(name, client!) : location.runtime().check(name, actor: Output.actor).map(APICheck.init)
                failed = results.contains { !$0.passed }
                if json { return Output.json(results) }
                for result in results {
                    Output.line("\(result.passed ? (result.warning ? "WARN" : "PASS") : "FAIL")  \(result.title): \(result.message)")
                    if let error = result.tableauError { Output.line("      Tableau: \(error)") }
                }
            }
            if failed { throw ExitCode(1) }
        }
    }

    static func print(_ view: APIConnection) {
        Output.line("\(view.name)  (\(view.displayName))")
        Output.line("  server:    \(view.serverURL)")
        Output.line("  site:      \(view.siteContentUrl.isEmpty ? "(Default site)" : view.siteContentUrl)")
        let secret = view.secretRef.map { "read from \($0) at sign-in" } ?? view.secretMasked
        if let pat = view.patName {
            Output.line("  PAT name:  \(pat)")
            Output.line("  PAT secret: \(secret)")
        } else {
            Output.line("  connected app: \(view.clientId ?? "") as \(view.username ?? ""), secret id \(view.secretId ?? "")")
            Output.line("  secret value:  \(secret)")
        }
        if let pin = view.apiVersionPin { Output.line("  REST API:  \(pin) (pinned)") }
        let formatter = ISO8601DateFormatter()
        if let expires = view.tokenExpiresAt {
            let warning = view.expiryWarningDays.map { " (warning below \($0) days)" } ?? ""
            Output.line("  token expires: \(formatter.string(from: expires))\(warning)")
        }
        if let used = view.lastSignInAt { Output.line("  last sign-in:  \(formatter.string(from: used))") }
        Output.line("  keep-alive:    " + (view.keepAliveDays.map { "every \($0) day\($0 == 1 ? "" : "s")" } ?? "off"))
    }
}

/// Runs a command body, turning known errors into one clear line and exit code 2.
enum CLI {
    static func run(_ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch let error as ExitCode {
            throw error
        } catch let error as ArgumentParser.ValidationError {
            throw error
        } catch let error as Freshet.ValidationError {
            Output.error(error.message)
            throw ExitCode(2)
        } catch {
            Output.error("\(error)")
            throw ExitCode(2)
        }
    }
}
