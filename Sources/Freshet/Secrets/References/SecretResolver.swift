import Dispatch
import Foundation

/// Reads secrets from their references and keeps them in memory only, so a sign-in costs no
/// helper run; ``resolve(_:refresh:)`` with `refresh` reads again (after Tableau refused a
/// sign-in, the secret was probably rotated where it lives). Concurrent reads of one reference
/// share one read.
package actor SecretResolver {
    private var cache: [SecretReference: String] = [:]
    private var inFlight: [SecretReference: Task<String, any Error>] = [:]
    private let environment: @Sendable () -> [String: String]
    private let helperTimeout: Duration
    /// Reads performed (not served from memory), for tests.
    package private(set) var reads = 0

    /// - Parameters:
    ///   - environment: the variables `env:` reads and helpers run with (the process's own by default).
    ///   - helperTimeout: how long an `exec:` helper may run (`FRESHET_SECRET_HELPER_TIMEOUT` seconds in the server).
    package init(
        environment: @escaping @Sendable () -> [String: String] = { ProcessInfo.processInfo.environment },
        helperTimeout: Duration = SecretHelper.defaultTimeout
    ) {
        self.environment = environment
        self.helperTimeout = helperTimeout
    }

    /// The secret `reference` points to: from memory unless `refresh` or never read.
    package func resolve(_ reference: SecretReference, refresh: Bool = false) async throws(SecretReferenceError) -> String {
        if !refresh, let cached = cache[reference] { return cached }
        if let running = inFlight[reference] { return try await Self.value(of: running, reference) }
        let environment = environment()
        let timeout = helperTimeout
        let task = Task<String, any Error> {
            try await withCheckedThrowingContinuation { continuation in
                // A thread of its own: a helper may block for its whole timeout.
                Thread {
                    do throws(SecretReferenceError) {
                        continuation.resume(returning: try Self.read(reference, environment: environment, timeout: timeout))
                    } catch {
                        continuation.resume(throwing: error)
                    }
                }.start()
            }
        }
        inFlight[reference] = task
        reads += 1
        defer { inFlight[reference] = nil }
        do throws(SecretReferenceError) {
            let value = try await Self.value(of: task, reference)
            cache[reference] = value
            return value
        } catch {
            cache[reference] = nil
            throw error
        }
    }

    /// Forgets every value read so far.
    package func forgetAll() {
        cache.removeAll()
    }

    private static func value(of task: Task<String, any Error>, _ reference: SecretReference) async throws(SecretReferenceError) -> String {
        do {
            return try await task.value
        } catch let error as SecretReferenceError {
            throw error
        } catch {
            throw SecretReferenceError(reference: reference.description, reason: "reading was interrupted")
        }
    }

    /// Reads `reference` now (blocking; helpers for at most `timeout`).
    package static func read(
        _ reference: SecretReference, environment: [String: String], timeout: Duration = SecretHelper.defaultTimeout
    ) throws(SecretReferenceError) -> String {
        let name = reference.description
        switch reference {
        case .environment(let variable):
            guard let value = environment[variable]?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty else {
                throw SecretReferenceError(reference: name, reason: "the environment variable \(variable) is not set or empty")
            }
            return value
        case .file(let path):
            let data: Data
            do {
                data = try Data(contentsOf: URL(fileURLWithPath: path))
            } catch {
                let exists = FileManager.default.fileExists(atPath: path)
                throw SecretReferenceError(reference: name, reason: exists ? "the file cannot be read (check its permissions)" : "the file does not exist")
            }
            guard let text = String(data: data, encoding: .utf8) else {
                throw SecretReferenceError(reference: name, reason: "the file is not UTF-8 text")
            }
            let value = text.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !value.isEmpty else { throw SecretReferenceError(reference: name, reason: "the file is empty") }
            return value
        case .exec(let command, let arguments):
            return try SecretHelper.run(command: command, arguments: arguments, timeout: timeout, environment: environment, reference: name)
        }
    }
}
