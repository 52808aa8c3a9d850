import ArgumentParser

/// The `freshet` command line.
@main
struct FreshetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "freshet",
        abstract: "Keep Tableau extracts in step with your data pipelines.",
        discussion: """
            Pipelines tell Freshet "this work is done"; Freshet refreshes the right Tableau extracts, \
            waits for Tableau's jobs and reports the outcome in Tableau's own words.

            Examples:
              freshet emulator                      # an offline Tableau on 127.0.0.1:8800 with the demo seed
              freshet emulator --seed my-seed.json --port 0
              freshet connection add prod --server https://tableau.example.com --pat-name freshet --secret-env PAT
              freshet connection check prod
              freshet audit --limit 20

            Environment: FRESHET_DATA_DIR (default ~/.freshet), FRESHET_MASTER_KEY.
            Exit codes: 0 success, 1 a check failed, 2 usage or configuration error.
            """,
        subcommands: [RefreshCommand.self, RunsCommand.self, ConnectionCommand.self, AuditCommand.self, UsersCommand.self, ContentCommand.self, ApiCommand.self, SecretsCommand.self, ServeCommand.self, TokenCommand.self, EmulatorCommand.self, CheckUsageCommand.self]
    )
}
