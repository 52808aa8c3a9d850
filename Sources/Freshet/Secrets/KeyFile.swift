import Foundation

/// Where the master keys come from: `FRESHET_MASTER_KEY` (and `FRESHET_PREVIOUS_MASTER_KEYS`,
/// comma-separated, during a rotation) or a key file created with mode 0600 in the data
/// directory on first start. The key never lives in the database.
public enum KeySource {
    public static let environmentKey = "FRESHET_MASTER_KEY"
    public static let previousKeysVariable = "FRESHET_PREVIOUS_MASTER_KEYS"
    public static let fileName = "master.key"

    /// The keyring from the environment, else from `<dataDirectory>/master.key`, creating it
    /// (0600) when `create` is true and it does not exist.
    ///
    /// `needed` are the ids of keys that sealed stored values: a keyring that lacks one of them is
    /// refused, naming the key id and where it was looked for.
    public static func load(
        environment: [String: String], dataDirectory: URL, create: Bool, needed: Set<String> = []
    ) throws(SecretError) -> Keyring {
        let file = dataDirectory.appendingPathComponent(fileName)
        if let text = environment[environmentKey], !text.isEmpty {
            let previous = try (environment[previousKeysVariable] ?? "").split(separator: ",").map { item throws(SecretError) in
                try MasterKey(base64: String(item))
            }
            let keyring = Keyring(current: try MasterKey(base64: text), previous: previous)
            try require(needed, in: keyring, from: "\(environmentKey) and \(previousKeysVariable)")
            return keyring
        }
        if let keyring = try read(file) {
            try require(needed, in: keyring, from: file.path)
            return keyring
        }
        guard create else {
            if let id = needed.sorted().first {
                throw SecretError(
                    description: "The database holds secrets sealed with master key \(id), but there is no master key: \(file.path) "
                        + "does not exist and \(environmentKey) is not set. Restore \(fileName) from a backup (or set \(environmentKey)); "
                        + "Freshet will not create a new key that cannot open them.")
            }
            throw SecretError(description: "No master key: set \(environmentKey) or keep \(file.path) (created on first start).")
        }
        let keyring = Keyring(current: .generate())
        try write(keyring, to: file)
        return keyring
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
        let lines = text.split(whereSeparator: \.isNewline).map(String.init).filter { !$0.hasPrefix("#") && !$0.isEmpty }
        guard let first = lines.first else { throw SecretError(description: "The key file \(file.path) holds no key.") }
        let previous = try lines.dropFirst().map { line throws(SecretError) in try MasterKey(base64: line) }
        return Keyring(current: try MasterKey(base64: first), previous: previous)
    }

    /// Writes the key file atomically with mode 0600 (a temporary file renamed over the old one).
    public static func write(_ keyring: Keyring, to file: URL) throws(SecretError) {
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
