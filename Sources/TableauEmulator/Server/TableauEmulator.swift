import Foundation
public import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle

/// An offline Tableau Server / Tableau Cloud that Tableau's own clients accept.
///
/// ```swift
/// let emulator = try TableauEmulator(seedFile: "seeds/demo.json")
/// try await emulator.run { port in print("listening on \(port)") }
/// ```
///
/// In tests, prefer ``withEmulator(seed:configuration:_:)``, which binds port 0 and stops the
/// server when the body returns.
public struct TableauEmulator: Sendable {
    /// The live state: world, faults, clock and request log.
    public let state: EmulatorState
    public let configuration: EmulatorConfiguration

    public init(seed: Seed, configuration: EmulatorConfiguration = EmulatorConfiguration(), seedFile: String = "<seed>") throws(SeedError) {
        self.state = try EmulatorState(seed: seed, configuration: configuration, seedFile: seedFile)
        self.configuration = configuration
    }

    /// Loads and validates `seedFile`; on any problem the error names the file, the place and the fault.
    public init(seedFile: String, configuration: EmulatorConfiguration = EmulatorConfiguration()) throws(SeedError) {
        try self.init(seed: SeedLoader.load(file: seedFile), configuration: configuration, seedFile: seedFile)
    }

    /// The Hummingbird application serving the emulator; `onRunning` receives the bound port.
    public func application(onRunning: @escaping @Sendable (Int) async -> Void = { _ in }) -> some ApplicationProtocol {
        Application(
            responder: EmulatorResponder(state: state),
            configuration: ApplicationConfiguration(
                address: .hostname(configuration.host, port: configuration.port), serverName: "Tableau Emulator"
            ),
            services: [JobTicker(state: state)],
            onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? 0) },
            logger: configuration.logger
        )
    }

    /// Serves until SIGINT/SIGTERM, shutting down gracefully.
    public func run(onRunning: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        try await application(onRunning: onRunning).runService()
    }
}

/// A running emulator as seen from a test.
public struct RunningEmulator: Sendable {
    public let port: Int
    public let state: EmulatorState
    /// `http://127.0.0.1:PORT`.
    public var baseURL: String { "http://127.0.0.1:\(port)" }
}

/// Runs an emulator on 127.0.0.1, port 0, for the duration of `body`.
public func withEmulator<T: Sendable>(
    seed: Seed, configuration: EmulatorConfiguration = EmulatorConfiguration(),
    _ body: @Sendable (RunningEmulator) async throws -> T
) async throws -> T {
    var configuration = configuration
    configuration.host = "127.0.0.1"
    configuration.port = 0
    let emulator = try TableauEmulator(seed: seed, configuration: configuration)
    let (ports, continuation) = AsyncStream<Int>.makeStream()
    let app = emulator.application { port in continuation.yield(port) }
    return try await withThrowingTaskGroup(of: T?.self) { group in
        group.addTask {
            try await app.run()
            return nil
        }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else { throw CancellationError() }
        let result = try await body(RunningEmulator(port: port, state: emulator.state))
        group.cancelAll()
        while let _ = try? await group.next() {}
        return result
    }
}

/// Moves the job simulation forward at each job's planned start or end (at least five times a
/// second), so webhooks fire when a refresh ends, without anyone polling.
struct JobTicker: Service {
    let state: EmulatorState

    func run() async throws {
        guard !state.clock.isManual else {
            try? await gracefulShutdown()
            return
        }
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            state.tick()
            let next = state.nextJobEvent().map { $0.timeIntervalSince(state.clock.now()) } ?? 0.2
            try? await Task.sleep(for: .milliseconds(Int64((min(0.2, max(0.002, next)) * 1000).rounded(.up))))
        }
    }
}
