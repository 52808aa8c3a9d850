import ArgumentParser
import Foundation
import Freshet
import FreshetServer

/// `freshet secrets …`: master-key maintenance.
struct SecretsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "secrets",
        abstract: "Manage the master key that encrypts stored secrets.",
        subcommands: [RotateKey.self]
    )

    struct RotateKey: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rotate-key",
            abstract: "Re-encrypt every stored secret under a new master key.",
            discussion: """
                With the key file (the default), a new key is generated and saved first (the old one is \
                kept), every secret and session token is re-encrypted in one transaction, then the old key \
                is retired. An interrupted rotation loses nothing: run the command again to finish it.

                With FRESHET_MASTER_KEY, set it to the new key and FRESHET_PREVIOUS_MASTER_KEYS to the old \
                one (comma-separated), then run this command to re-encrypt everything under the new key.

                Environment: FRESHET_DATA_DIR, FRESHET_MASTER_KEY, FRESHET_PREVIOUS_MASTER_KEYS.
                Exit codes: 0 rotated, 2 configuration error (nothing was changed).
                """
        )

        @OptionGroup var location: DataLocation

        func run() async throws {
            try await CLI.run {
                let runtime = try await location.runtime()
                let outcome = try await runtime.rotateMasterKey(actor: Output.actor)
                Output.line("Re-encrypted \(outcome.resealed) secret(s): master key \(outcome.previousKeyId) → \(outcome.newKeyId).")
                if outcome.keptKeyIds.count > 1 {
                    Output.line("Still kept for reading: \(outcome.keptKeyIds.dropFirst().joined(separator: ", ")).")
                }
            }
        }
    }
}
