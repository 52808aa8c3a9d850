package import Dispatch
package import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A child process started with `posix_spawn`: `exec:` secret helpers, and the tests that run
/// the `freshet` binary. Standard input is `/dev/null`; no shell is involved.
///
/// Foundation's `Process.run()` on Linux (Swift 6.3.1) over-reads a `dirent` while it lists
/// `/proc/self/fd` and now and then crashes the whole process (SIGSEGV in `memcpy`,
/// swift-corelibs-foundation PR #5472) — more likely the more files the process has open, as a
/// busy server has. It crashed one CI run of the test suite. This spawns directly.
package final class ChildProcess: Sendable {
    /// What becomes of one of the child's output streams.
    package enum Output: Sendable {
        /// `/dev/null`.
        case discard
        /// A pipe read through ``standardOutput`` / ``standardError``.
        case pipe
        /// The same pipe or file as standard output (standard error only).
        case standardOutput
    }

    /// The child could not be started.
    package struct SpawnError: Error, CustomStringConvertible {
        package let code: Int32
        package var description: String { "the process could not be started: \(String(cString: strerror(code)))" }
    }

    /// How the child ended, shared with the thread that reaps it.
    private final class Exit: Sendable {
        struct State {
            var status: Int32?
            var waiters: [CheckedContinuation<Int32, Never>] = []
        }
        let state = Mutex(State())
        let exited = DispatchSemaphore(value: 0)
    }

    package let pid: pid_t
    /// The reading end of the child's standard output, when it is ``Output/pipe``.
    package let standardOutput: FileHandle?
    /// The reading end of the child's standard error, when it is ``Output/pipe``.
    package let standardError: FileHandle?
    private let exit = Exit()

    /// Starts `executable` (a path) with `arguments` and exactly `environment`.
    package init(
        _ executable: URL, _ arguments: [String], environment: [String: String], stdout: Output = .pipe, stderr: Output = .discard
    ) throws {
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
        // The child keeps only 0, 1 and 2: no file another thread has open (a script being
        // written, a socket) leaks into it.
        _ = Self.addCloseFrom?(&actions, 3)
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
        // A thread of its own reaps the child: waitpid blocks.
        Thread.detachNewThread { [exit] in
            var status: Int32 = 0
            while waitpid(spawned, &status, 0) < 0 && errno == EINTR {}
            let signal = status & 0x7f
            let code = signal == 0 ? (status >> 8) & 0xff : 128 + signal
            let waiters = exit.state.withLock { state in
                state.status = code
                defer { state.waiters = [] }
                return state.waiters
            }
            exit.exited.signal()
            for waiter in waiters { waiter.resume(returning: code) }
        }
    }

    /// The exit status (128 + the signal when a signal ended the child), once it has ended.
    package func exitStatus() async -> Int32 {
        await withCheckedContinuation { continuation in
            let ended = exit.state.withLock { state -> Int32? in
                if let status = state.status { return status }
                state.waiters.append(continuation)
                return nil
            }
            if let ended { continuation.resume(returning: ended) }
        }
    }

    /// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34+), which Swift's Glibc module
    /// does not show.
    private typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>?, Int32) -> Int32
    private static let addCloseFrom: AddCloseFrom? = {
        guard let symbol = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np") else { return nil }
        return unsafeBitCast(symbol, to: AddCloseFrom.self)
    }()

    /// Blocks until the child ends or `deadline` passes; the exit status, or nil on timeout.
    package func waitForExit(until deadline: DispatchTime) -> Int32? {
        if let status = exit.state.withLock({ $0.status }) { return status }
        guard exit.exited.wait(timeout: deadline) == .success else { return nil }
        exit.exited.signal()  // later waits return at once too
        return exit.state.withLock { $0.status }
    }

    /// Everything the child writes to its standard output pipe until it closes, read on a
    /// thread of its own (never blocking Swift's cooperative pool).
    package func outputToEnd() async -> Data {
        guard let handle = standardOutput else { return Data() }
        return await withCheckedContinuation { continuation in
            Thread.detachNewThread { continuation.resume(returning: handle.readDataToEndOfFile()) }
        }
    }

    /// Sends `signal` to the child.
    package func send(_ signal: Int32) {
        kill(pid, signal)
    }
}
