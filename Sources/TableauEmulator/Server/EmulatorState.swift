import Foundation
import Logging
import Synchronization

/// The live state of one emulated Tableau server: its world, faults, clock and request log.
public final class EmulatorState: Sendable {
    let world: Mutex<World>
    let faults: Mutex<FaultRuntime>
    let requestLog: RequestLog
    let webhookDeliveries = Mutex<[WebhookDelivery]>([])
    /// The clock jobs and sessions run on.
    public let clock: EmulatorClock
    let maxVersion: APIVersion
    let productVersion: String
    let build: String
    let sessionLifetime: TimeInterval
    let isCloud: Bool
    /// Whether a connected-app JWT signs in again before its `exp` (`server.jwtReuse`).
    let allowsJWTReuse: Bool
    let logger: Logger
    let webhooks: WebhookDispatcher
    let renderCache = RenderCache()

    /// Builds the state from a seed; throws ``SeedError`` naming the problem, and builds nothing then.
    public init(seed: Seed, configuration: EmulatorConfiguration = EmulatorConfiguration(), seedFile: String = "<seed>") throws(SeedError) {
        let versionText = configuration.maxApiVersion ?? seed.server?.maxApiVersion ?? "3.24"
        guard let version = APIVersion(versionText), version >= APIVersion.minimum else {
            throw SeedError(file: seedFile, place: "server.maxApiVersion", problem: "\"\(versionText)\" is not a REST API version of 2.4 or later, like 3.24")
        }
        let mode = seed.server?.mode ?? "server"
        guard mode == "server" || mode == "cloud" else {
            throw SeedError(file: seedFile, place: "server.mode", problem: "must be \"server\" or \"cloud\", not \"\(mode)\"")
        }
        let minutes = configuration.sessionMinutes ?? seed.server?.sessionMinutes ?? (mode == "cloud" ? 120 : 240)
        guard minutes > 0 else { throw SeedError(file: seedFile, place: "server.sessionMinutes", problem: "must be positive") }
        let reuse = seed.server?.jwtReuse ?? "refuse"
        guard reuse == "refuse" || reuse == "allowWithinLifetime" else {
            throw SeedError(file: seedFile, place: "server.jwtReuse", problem: "must be \"refuse\" or \"allowWithinLifetime\", not \"\(reuse)\"")
        }
        var built = try WorldBuilder(file: seedFile).build(seed)
        built.simulatedUntil = configuration.clock.now()
        if mode == "cloud" {
            // Tableau Cloud stops every refresh after 2 hours.
            for index in built.sites.indices where built.sites[index].refreshTimeLimit == nil { built.sites[index].refreshTimeLimit = 7200 }
        }
        world = Mutex(built)
        faults = Mutex(FaultRuntime(settings: seed.faults ?? FaultSettings()))
        requestLog = RequestLog(limit: configuration.requestLogLimit)
        clock = configuration.clock
        maxVersion = version
        let product = version.productVersion
        productVersion = seed.server?.productVersion ?? product.version
        build = seed.server?.build ?? product.build
        sessionLifetime = minutes * 60
        isCloud = mode == "cloud"
        allowsJWTReuse = configuration.allowJWTReuse ?? (reuse == "allowWithinLifetime")
        logger = configuration.logger
        webhooks = WebhookDispatcher(logger: configuration.logger)
    }

    /// Runs `body` on the world after advancing the job simulation to now; webhooks for jobs that
    /// started or finished meanwhile are sent after the lock is released.
    func withWorld<T: Sendable>(_ body: (inout World, Date) throws(EmulatorError) -> T) throws(EmulatorError) -> T {
        let now = clock.now()
        let (result, events, hooks): (Result<T, EmulatorError>, [JobEvent], [[Webhook]]) = world.withLock { world in
            let events = world.advance(to: now)
            let hooks = events.map { event in world.sites.first { $0.id == event.job.siteId }?.webhooks.items ?? [] }
            do throws(EmulatorError) {
                return (.success(try body(&world, now)), events, hooks)
            } catch {
                return (.failure(error), events, hooks)
            }
        }
        dispatch(events, hooks)
        return try result.get()
    }

    /// The next time after now a queued job may start or a running one ends, if any.
    func nextJobEvent() -> Date? {
        let now = clock.now()
        return world.withLock { world in
            world.activeJobIds.compactMap { id -> Date? in
                guard let job = world.jobs[id] else { return nil }
                let time = job.startedAt == nil ? job.readyAt : job.plannedCompletion
                return time.flatMap { $0 > now ? $0 : nil }
            }.min()
        }
    }

    /// Advances the job simulation (called by the ticker so webhooks fire without polling).
    func tick() {
        _ = try? withWorld { _, _ in () }
    }

    private func dispatch(_ events: [JobEvent], _ hooks: [[Webhook]]) {
        for (event, siteHooks) in zip(events, hooks) {
            let eventName = event.job.kind.eventPrefix + "Refresh" + event.kind.rawValue
            for hook in siteHooks where hook.isEnabled && hook.event == eventName {
                let payload = WebhookPayload(event: event, eventName: eventName)
                let delivery = webhooks.deliver(payload, to: hook)
                Task { [self] in
                    let record = await delivery()
                    webhookDeliveries.withLock { $0.append(record) }
                }
            }
        }
    }
}

/// Fault settings plus the counters that scripted faults and session revocation use.
struct FaultRuntime: Sendable {
    var settings: FaultSettings
    var authenticatedRequests = 0
}
