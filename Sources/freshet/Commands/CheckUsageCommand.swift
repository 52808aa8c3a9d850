import ArgumentParser

/// `freshet check-usage ARGS…` (hidden): says whether `freshet ARGS…` would parse, without
/// running it. Documentation tests use it so that a README whose commands drift fails CI.
struct CheckUsageCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-usage",
        abstract: "Check that a freshet command line parses, without running it.",
        shouldDisplay: false
    )

    @Argument(parsing: .captureForPassthrough, help: "The command line to check, without 'freshet'.")
    var arguments: [String] = []

    func run() throws {
        do {
            let command = try FreshetCommand.parseAsRoot(arguments)
            print("ok: \(String(describing: type(of: command)))")
        } catch {
            let message = FreshetCommand.message(for: error)
            if FreshetCommand.exitCode(for: error) == .success {
                print("ok: help")  // --help and --version parse to a clean exit
                return
            }
            print("error: \(message)")
            throw ExitCode(2)
        }
    }
}
