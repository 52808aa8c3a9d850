import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A child process started with `posix_spawn`, for the tests that run the `freshet` binary.
///
/// Foundation's `Process.run()` on Linux (Swift 6.3.1) over-reads a `dirent` while it lists
/// `/proc/self/fd` and crashes the whole test process now and then (SIGSEGV in `memcpy`,
/// swift-corelibs-foundation PR #5472) — once in a CI run of this suite. This spawns directly.
final class ChildProcess: Sendable {
    /// What becomes of one of the child's output streams.
    enum Output {
        /// `/dev/null`.
        case discard
        /// A pipe read through ``standardOutput`` / ``standardError``.
        case pipe
        /// The same pipe as standard output (standard error only).
        case standardOutput
    }

    struct SpawnError: Error, CustomStringConvertible {
        let code: Int32
        var description: String { "posix_spawn failed: \(String(cString: strerror(code)))" }
    }

    let pid: pid_t
    /// The reading end of the child's standard output, when it is ``Output/pipe``.
    let standardOutput: FileHandle?
    /// The reading end of the child's standard error, when it is ``Output/pipe``.
    let standardError: FileHandle?
    private let exit: Task<Int32, Never>

    /// Starts `executable` with `arguments` and exactly `environment`.
    init(_ executable: URL, _ arguments: [String], environment: [String: String], stdout: Output = .pipe, stderr: Output = .discard) throws {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        var parentEnds: [Int32] = []
        var childEnds: [Int32] = []
        func redirect(_ output: Output, to target: Int32) throws -> FileHandle? {
            switch output {
            case .discard:
                posix_spawn_file_actions_addopen(&actions, target, "/dev/null", O_WRONLY, 0)
                return nil
            case .standardOutput:
                posix_spawn_file_actions_adddup2(&actions, 1, target)
                return nil
            case .pipe:
                var ends: [Int32] = [0, 0]
                guard pipe(&ends) == 0 else { throw SpawnError(code: errno) }
                // Neither end leaks into other children; dup2 gives this child its own copy.
                for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
                posix_spawn_file_actions_adddup2(&actions, ends[1], target)
                parentEnds.append(ends[0])
                childEnds.append(ends[1])
                return FileHandle(fileDescriptor: ends[0], closeOnDealloc: true)
            }
        }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        standardOutput = try redirect(stdout, to: 1)
        standardError = try redirect(stderr, to: 2)
        let argv = ([executable.path] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in argv + envp { free(pointer) }
        }
        var child: pid_t = 0
        let result = posix_spawn(&child, executable.path, &actions, nil, argv, envp)
        for end in childEnds { close(end) }
        guard result == 0 else {
            for end in parentEnds { close(end) }
            throw SpawnError(code: result)
        }
        pid = child
        let spawned = child
        exit = Task.detached {
            await withCheckedContinuation { continuation in
                Thread.detachNewThread {
                    var status: Int32 = 0
                    while waitpid(spawned, &status, 0) < 0 && errno == EINTR {}
                    // The exit status, or 128 + the signal that ended the child.
                    let signal = status & 0x7f
                    continuation.resume(returning: signal == 0 ? (status >> 8) & 0xff : 128 + signal)
                }
            }
        }
    }

    /// The child's exit status (128 + the signal when a signal ended it), once it has ended.
    func exitStatus() async -> Int32 {
        await exit.value
    }

    /// Everything the child writes to its standard output pipe until it closes, read on a
    /// thread of its own (never blocking Swift's cooperative pool).
    func outputToEnd() async -> Data {
        guard let handle = standardOutput else { return Data() }
        return await withCheckedContinuation { continuation in
            Thread.detachNewThread { continuation.resume(returning: handle.readDataToEndOfFile()) }
        }
    }

    /// Sends `signal` to the child.
    func send(_ signal: Int32) {
        kill(pid, signal)
    }
}
