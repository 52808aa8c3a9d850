import ArgumentParser
import Foundation
import FreshetServer

/// The `freshet` command line.
@main
struct FreshetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "freshet",
        abstract: "Keep Tableau extracts in step with your data pipelines.",
        discussion: """
            Pipelines tell Freshet "this work is done"; Freshet refreshes the right Tableau extracts, \
            waits for Tableau's jobs and reports the outcome in Tableau's own words. Each refreshed item \
            is a durable run: never triggered twice, resumed after a crash, recorded in the audit log.

            Examples:
              freshet demo                          # emulator + server + demo connection and token
              freshet connection add prod --server https://tableau.example.com --pat-name freshet --secret-env PAT
              freshet connection check prod
              freshet refresh --connection prod --datasource Sales --wait
              freshet runs list --state waiting
              freshet serve --port 8080
              freshet audit --limit 20

            Environment: FRESHET_DATA_DIR (default ~/.freshet), FRESHET_MASTER_KEY, FRESHET_SERVER and \
            FRESHET_TOKEN (talk to a running server), more in each command's help.
            Exit codes: 0 success, 1 a refresh or check failed, 2 usage or configuration error, \
            3 timed out, 4 cancelled, 5 Tableau or the network unreachable.
            Shell completions: freshet --generate-completion-script bash|zsh|fish
            """,
        subcommands: [RefreshCommand.self, RunsCommand.self, FreshnessCommand.self, PipelineEventsCommand.self, AlertsCommand.self, ConnectionCommand.self, AuditCommand.self, UsersCommand.self, ContentCommand.self, ApiCommand.self, SecretsCommand.self, ServeCommand.self, WorkerCommand.self, MigrateCommand.self, TokenCommand.self, EmulatorCommand.self, DemoCommand.self, CheckUsageCommand.self]
    )

    /// Warns about `FRESHET_…` variables Freshet does not read (a misspelt setting would be
    /// ignored without a word), then runs the command. serve and worker log the warnings instead.
    static func main() async {
        if !["serve", "worker"].contains(CommandLine.arguments.dropFirst().first ?? "") {
            for warning in EnvironmentVariables.warnings(ProcessInfo.processInfo.environment) { Output.warning(warning) }
        }
        await main(nil)
    }
}
