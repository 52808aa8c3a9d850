import ArgumentParser
import Foundation

/// Where a secret comes from: a file, an environment variable or standard input — never a
/// command-line value, which `ps` would show to every user of the machine.
struct SecretOptions: ParsableArguments {
    @Option(name: .customLong("pat-secret-file"), help: "Read the Personal Access Token secret from this file.")
    var patFile: String?

    @Option(name: .customLong("pat-secret-env"), help: "Read the Personal Access Token secret from this environment variable.")
    var patEnvironment: String?

    @Flag(name: .customLong("pat-secret-stdin"), help: "Read the Personal Access Token secret from standard input (one line).")
    var patStandardInput = false

    @Option(name: .customLong("secret-file"), help: "Read the connected app's secret value (or a PAT secret) from this file.")
    var file: String?

    @Option(name: .customLong("secret-env"), help: "Read the connected app's secret value (or a PAT secret) from this environment variable.")
    var environment: String?

    @Flag(name: .customLong("secret-stdin"), help: "Read the connected app's secret value (or a PAT secret) from standard input.")
    var standardInput = false

    /// The secret, or nil when no source was given.
    func read() throws -> String? {
        let files = [file, patFile].compactMap { $0 }
        let variables = [environment, patEnvironment].compactMap { $0 }
        let stdin = standardInput || patStandardInput
        guard files.count + variables.count + (stdin ? 1 : 0) <= 1 else {
            throw ArgumentParser.ValidationError("Give the secret one way only: a file, an environment variable or standard input.")
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
