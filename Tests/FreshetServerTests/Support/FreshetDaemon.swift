import Foundation
import Freshet
import Synchronization

/// A long-running `freshet` child (`serve`, `worker`), ready once it printed its start line on
/// standard output. The last lines it wrote to standard error are kept for failure messages.
final class FreshetDaemon: Sendable {
    let child: ChildProcess
    /// The first line that began with the awaited prefix.
    let startLine: String
    private let logged = LogTail()

    /// Starts `binary` with `arguments` and waits for a line on standard output that begins with
    /// `prefix` (throws when the child ends first).
    init(_ binary: URL, _ arguments: [String], environment: [String: String], startsWith prefix: String) async throws {
        child = try ChildProcess(binary, arguments, environment: environment, stdout: .pipe, stderr: .pipe)
        let errors = LineBuffer.lines(of: child.standardError!)
        Task { [logged] in
            for await line in errors { logged.append(line) }
        }
        var found: String?
        for await line in LineBuffer.lines(of: child.standardOutput!) where line.hasPrefix(prefix) {
            found = line
            break
        }
        guard let found else {
            let status = await child.exitStatus()
            throw StoreError("freshet \(arguments.joined(separator: " ")) exited \(status) before it printed \"\(prefix)\": \(logged.text)")
        }
        startLine = found
    }

    /// The last lines the child wrote to standard error.
    var log: String { logged.text }

    /// SIGKILL, then reap.
    func kill() async {
        child.send(SIGKILL)
        _ = await child.exitStatus()
    }

    /// SIGTERM, then the exit status (128 + the signal when a signal ended it).
    func terminate() async -> Int32 {
        child.send(SIGTERM)
        return await child.exitStatus()
    }

    /// SIGTERM, then the exit status; a child still running after `limit` is killed (SIGKILL)
    /// and nil returned, so that a test never hangs on a child that does not stop.
    func terminate(within limit: Duration) async -> Int32? {
        child.send(SIGTERM)
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            if let status = child.waitForExit(until: .now()) { return status }
            try? await Task.sleep(for: .milliseconds(50))
        }
        await kill()
        return nil
    }
}

/// The last 200 lines of a stream, shared with the task that reads it.
private final class LogTail: Sendable {
    private let lines = Mutex<[String]>([])

    func append(_ line: String) {
        lines.withLock { lines in
            lines.append(line)
            if lines.count > 200 { lines.removeFirst(lines.count - 200) }
        }
    }

    var text: String { lines.withLock { $0.joined(separator: "\n") } }
}
