import ArgumentParser
import Foundation

/// Where a secret comes from: a file, an environment variable or standard input — never a
/// command-line value, which `ps` would show to every user of the machine.
struct SecretOptions: ParsableArguments {
    @Option(name: .customLong("secret-file"), help: "Read the secret (PAT secret or connected-app secret value) from this file.")
    var file: String?

    @Option(name: .customLong("secret-env"), help: "Read the secret from this environment variable.")
    var environment: String?

    @Flag(name: .customLong("secret-stdin"), help: "Read the secret from standard input (one line).")
    var standardInput = false

    @Option(name: .customLong("pat-secret-file"), help: .hidden) var patFile: String?
    @Option(name: .customLong("pat-secret-env"), help: .hidden) var patEnvironment: String?
    @Flag(name: .customLong("pat-secret-stdin"), help: .hidden) var patStandardInput = false

    /// The secret, or nil when no source was given.
    func read() throws -> String? {
        let files = [file, patFile].compactMap { $0 }
        let variables = [environment, patEnvironment].compactMap { $0 }
        let stdin = standardInput || patStandardInput
        guard files.count + variables.count + (stdin ? 1 : 0) <= 1 else {
            throw ArgumentParser.ValidationError("Give the secret one way only: --secret-file, --secret-env or --secret-stdin.")
        }
        if let path = files.first {
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw ArgumentParser.ValidationError("Cannot read the secret file \(path).")
            }
            return text.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        if let name = variables.first {
            guard let value = ProcessInfo.processInfo.environment[name], !value.isEmpty else {
                throw ArgumentParser.ValidationError("The environment variable \(name) is not set.")
            }
            return value.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        if stdin {
            return (readLine(strippingNewline: true) ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        }
        return nil
    }
}
