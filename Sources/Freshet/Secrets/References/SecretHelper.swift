import Dispatch
import Foundation
import Synchronization

/// Runs an `exec:` secret helper: no shell, standard input empty, standard error discarded
/// (never read, so never logged), standard output is the secret. A helper that outlives its
/// timeout is terminated (then killed) and reported as timed out.
package enum SecretHelper {
    /// Default time a helper may take.
    package static let defaultTimeout: Duration = .seconds(10)
    /// Most bytes of output accepted (a secret, not a document).
    static let maxOutput = 64 * 1024

    /// Runs `command` with `arguments` and returns its standard output without the trailing
    /// newline. Blocks the calling thread for at most `timeout` (plus a short grace to kill it).
    package static func run(
        command: String, arguments: [String], timeout: Duration = defaultTimeout, environment: [String: String],
        reference: String
    ) throws(SecretReferenceError) -> String {
        func failure(_ reason: String) -> SecretReferenceError { SecretReferenceError(reference: reference, reason: reason) }
        guard let executable = locate(command, path: environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin") else {
            throw failure("the command \(command) was not found or is not executable")
        }
        let process: ChildProcess
        do {
            process = try ChildProcess(URL(fileURLWithPath: executable), arguments, environment: environment, stdout: .pipe, stderr: .discard)
        } catch {
            throw failure("the command \(command) could not be started")
        }
        let collected = Collected()
        let drained = DispatchSemaphore(value: 0)
        let reader = process.standardOutput!
        // A thread of its own: blocking reads must not wait for (or hold) a shared pool's thread.
        Thread {
            let data = reader.readDataToEndOfFile()
            collected.data.withLock { $0 = data }
            drained.signal()
        }.start()
        let deadline = DispatchTime.now() + .nanoseconds(Int(timeout.components.seconds * 1_000_000_000 + timeout.components.attoseconds / 1_000_000_000))
        guard let status = process.waitForExit(until: deadline) else {
            stop(process)
            throw failure("the helper did not finish within \(describe(timeout)) and was stopped")
        }
        // A helper's own children may keep its output open: wait no longer than the deadline.
        guard drained.wait(timeout: max(deadline, DispatchTime.now() + .milliseconds(200))) == .success else {
            throw failure("the helper exited but its output stayed open past \(describe(timeout))")
        }
        guard status == 0 else {
            let how = status > 128 ? "was killed by signal \(status - 128)" : "exited with status \(status)"
            throw failure("the helper \(how) (its error output is not recorded; run it by hand to see it)")
        }
        guard let data = collected.data.withLock({ $0 }), data.count <= maxOutput, let text = String(data: data, encoding: .utf8) else {
            throw failure("the helper's output is not UTF-8 text of at most 64 KiB")
        }
        let secret = trimmingLineEnd(text)
        guard !secret.isEmpty else { throw failure("the helper printed nothing") }
        return secret
    }

    /// The output without trailing newlines (a secret may have meaningful inner spaces).
    static func trimmingLineEnd(_ text: String) -> String {
        var result = Substring(text)
        while let last = result.last, last == "\n" || last == "\r" { result = result.dropLast() }
        return result.trimmingCharacters(in: .whitespaces)
    }

    /// `command` itself when it names a path, else the first executable of that name on `path`.
    static func locate(_ command: String, path: String) -> String? {
        if command.contains("/") { return FileManager.default.isExecutableFile(atPath: command) ? command : nil }
        for directory in path.split(separator: ":") {
            let candidate = "\(directory)/\(command)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// SIGTERM, then SIGKILL if it is still running a moment later.
    private static func stop(_ process: ChildProcess) {
        process.send(SIGTERM)
        if process.waitForExit(until: .now() + .milliseconds(500)) == nil {
            process.send(SIGKILL)
            _ = process.waitForExit(until: .now() + .seconds(2))
        }
    }

    /// The helper's output, handed from the reading thread.
    private final class Collected: Sendable {
        let data = Mutex<Data?>(nil)
    }

    static func describe(_ duration: Duration) -> String {
        let seconds = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        return seconds == seconds.rounded() ? "\(Int(seconds)) s" : String(format: "%.1f s", seconds)
    }
}
