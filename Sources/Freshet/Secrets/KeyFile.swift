package import Foundation

/// Where the master keys come from, first match wins:
///
/// 1. `FRESHET_MASTER_KEY`: the key in base64, or `exec:COMMAND ARGS…`, a helper (a vault CLI)
///    that prints the key file's format (current key first, older keys on following lines);
///    `FRESHET_PREVIOUS_MASTER_KEYS` (comma-separated) adds older keys during a rotation;
/// 2. `FRESHET_MASTER_KEY_FILE`: a key file kept apart from the data directory (it must exist);
/// 3. `master.key` in the data directory, created with mode 0600 on first start.
///
/// The key never lives in the database.
package enum KeySource {
    package static let environmentKey = "FRESHET_MASTER_KEY"
    package static let fileVariable = "FRESHET_MASTER_KEY_FILE"
    package static let previousKeysVariable = "FRESHET_PREVIOUS_MASTER_KEYS"
    package static let fileName = "master.key"

    /// Where a keyring came from, which decides how `freshet secrets rotate-key` rotates it.
    package enum Origin: Sendable, Equatable {
        /// `FRESHET_MASTER_KEY` holds the key: rotation re-seals under it (the operator changed it).
        case environment
        /// `FRESHET_MASTER_KEY=exec:…`: the same, the helper's owner changes the key.
        case helper(String)
        /// A key file (`FRESHET_MASTER_KEY_FILE` or the data directory's): rotation generates a
        /// new key and saves it there when the file is writable.
        case file(URL)
    }

    /// The keyring from the environment, else from `<dataDirectory>/master.key`, creating it
    /// (0600) when `create` is true and it does not exist.
    ///
    /// `needed` are the ids of keys that sealed stored values: a keyring that lacks one of them is
    /// refused, naming the key id and where it was looked for.
    package static func load(
        environment: [String: String], dataDirectory: URL, create: Bool, needed: Set<String> = []
    ) throws(SecretError) -> Keyring {
        try loadWithOrigin(environment: environment, dataDirectory: dataDirectory, create: create, needed: needed).keyring
    }

    /// The keyring and where it came from (see ``KeySource``).
    package static func loadWithOrigin(
        environment: [String: String], dataDirectory: URL, create: Bool, needed: Set<String> = [],
        helperTimeout: Duration = SecretHelper.defaultTimeout
    ) throws(SecretError) -> (keyring: Keyring, origin: Origin) {
        if let text = environment[environmentKey], !text.isEmpty {
            let previous = try (environment[previousKeysVariable] ?? "").split(separator: ",").map { item throws(SecretError) in
                try MasterKey(base64: String(item))
            }
            if text.hasPrefix("exec:") {
                let output: String
                do {
                    let reference = try SecretReference(parsing: text)
                    output = try SecretResolver.read(reference, environment: environment, timeout: helperTimeout)
                } catch let error as ValidationError {
                    throw SecretError(description: "\(environmentKey): \(error.message)")
                } catch let error as SecretReferenceError {
                    throw SecretError(description: "\(environmentKey): \(error.description)")
                } catch {
                    throw SecretError(description: "\(environmentKey): \(error)")
                }
                let parsed = try parse(output, source: "the output of \(environmentKey)'s helper")
                let keyring = Keyring(current: parsed.current, previous: parsed.previous + previous)
                try require(needed, in: keyring, from: "the output of \(environmentKey)'s helper and \(previousKeysVariable)")
                return (keyring, .helper(text))
            }
            let keyring = Keyring(current: try MasterKey(base64: text), previous: previous)
            try require(needed, in: keyring, from: "\(environmentKey) and \(previousKeysVariable)")
            return (keyring, .environment)
        }
        if let path = environment[fileVariable], !path.isEmpty {
            let file = URL(fileURLWithPath: path)
            guard let keyring = try read(file) else {
                throw SecretError(
                    description: "\(fileVariable) names \(path), which does not exist. Create it with one key (`openssl rand -base64 32 > \(path)`, mode 0600) or unset the variable."
                )
            }
            try require(needed, in: keyring, from: path)
            return (keyring, .file(file))
        }
        let file = dataDirectory.appendingPathComponent(fileName)
        if let keyring = try read(file) {
            try require(needed, in: keyring, from: file.path)
            return (keyring, .file(file))
        }
        guard create else {
            if let id = needed.sorted().first {
                throw SecretError(
                    description: "The database holds secrets sealed with master key \(id), but there is no master key: \(file.path) "
                        + "does not exist and neither \(environmentKey) nor \(fileVariable) is set. Restore \(fileName) from a backup (or set one of them); "
                        + "Freshet will not create a new key that cannot open them.")
            }
            throw SecretError(description: "No master key: set \(environmentKey) or \(fileVariable), or keep \(file.path) (created on first start).")
        }
        let keyring = Keyring(current: .generate())
        try write(keyring, to: file)
        return (keyring, .file(file))
    }

    /// Refuses `keyring` when it lacks a key that sealed stored values.
    static func require(_ needed: Set<String>, in keyring: Keyring, from source: String) throws(SecretError) {
        let missing = needed.subtracting(keyring.keys.map(\.id)).sorted()
        guard let id = missing.first else { return }
        throw SecretError(
            description: "The database holds secrets sealed with master key \(id), which is not in \(source). "
                + "Restore the key that sealed them (a backup of \(fileName), or the old value in \(previousKeysVariable)); Freshet never guesses.")
    }

    /// Reads a key file: the current key on the first line, older keys on the following lines.
    static func read(_ file: URL) throws(SecretError) -> Keyring? {
        guard FileManager.default.fileExists(atPath: file.path) else { return nil }
        let text: String
        do {
            text = try String(contentsOf: file, encoding: .utf8)
        } catch {
            throw SecretError(description: "Cannot read the key file \(file.path): \(error.localizedDescription)")
        }
        return try parse(text, source: "The key file \(file.path)")
    }

    /// Keys in the key file's format: the current key on the first line, older keys below;
    /// blank lines and `#` comments are skipped.
    static func parse(_ text: String, source: String) throws(SecretError) -> Keyring {
        let lines = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.hasPrefix("#") && !$0.isEmpty }
        guard let first = lines.first else { throw SecretError(description: "\(source) holds no key.") }
        let previous = try lines.dropFirst().map { line throws(SecretError) in try MasterKey(base64: line) }
        return Keyring(current: try MasterKey(base64: first), previous: previous)
    }

    /// Writes the key file atomically with mode 0600 (a temporary file renamed over the old one).
    package static func write(_ keyring: Keyring, to file: URL) throws(SecretError) {
        let text = "# Freshet master keys: current first. Keep this file secret and backed up.\n"
            + keyring.keys.map(\.base64).joined(separator: "\n") + "\n"
        let temporary = file.deletingLastPathComponent().appendingPathComponent(".\(file.lastPathComponent).\(UUID().uuidString)")
        do {
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            guard FileManager.default.createFile(atPath: temporary.path, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600]) else {
                throw SecretError(description: "Cannot create \(temporary.path)")
            }
            if rename(temporary.path, file.path) != 0 {
                throw SecretError(description: "Cannot replace \(file.path) (errno \(errno))")
            }
        } catch let error as SecretError {
            try? FileManager.default.removeItem(at: temporary)
            throw error
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw SecretError(description: "Cannot write the key file \(file.path): \(error.localizedDescription)")
        }
    }
}
