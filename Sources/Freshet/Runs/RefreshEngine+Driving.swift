import Foundation

/// Driving one run: hold its lease, feed its state machine the facts Tableau reports, and carry
/// out the actions the machine returns — each transition stored before its effect.
extension RefreshEngine {
    /// Drives run `id` to its end while this process holds its lease.
    func driveRun(_ id: String) async {
        defer { driverEnded(id) }
        let holder = configuration.holder
        do {
            guard try await store.claim(runId: id, holder: holder, until: leaseEnd(), now: clock.now()) else { return }
        } catch {
            logger.warning("could not claim run", metadata: ["run": "\(id)", "error": "\(error)"])
            return
        }
        let renewal = Task { await self.renewLease(id) }
        var slot = Slot(limiter: limiter)
        defer {
            renewal.cancel()
            Task { [store] in try? await store.release(runId: id, holder: holder) }
        }
        do {
            guard let start = try await store.run(id: id), !start.state.isTerminal else { return }
            var event: RunEvent = start.state == .accepted ? .start : .resume
            while !Task.isCancelled {
                guard let current = try await store.run(id: id) else { break }
                if Self.needsSlot(event, current.state), !slot.held {
                    // Wait for capacity before the run enters "triggering": that state means a call is in flight.
                    let gotSlot = try await slot.acquire(current.connectionId, until: current.deadline, clock: clock)
                    if !gotSlot { event = .deadlinePassed }
                }
                if let deadline = current.deadline, clock.now() >= deadline { event = .deadlinePassed }
                guard let (run, actions) = try await apply(event, to: id) else {
                    await cancelOrphanedJob(after: event, runId: id)
                    break
                }
                guard let next = try await carryOut(actions, of: run, slot: &slot) else { break }
                event = next
            }
        } catch {
            logger.warning("stopped driving run", metadata: ["run": "\(id)", "error": "\(error)"])
        }
        await slot.release(connection: nil)
    }

    /// Carries out `actions` (cancellations first); returns the event they produced, nil when the run is done here.
    private func carryOut(_ actions: [RunAction], of run: Run, slot: inout Slot) async throws -> RunEvent? {
        var next: RunEvent?
        for action in actions.sorted(by: { Self.order($0) < Self.order($1) }) {
            switch action {
            case .cancelJob(let jobId):
                await cancelJob(jobId, of: run)
            case .triggerRefresh:
                next = try await trigger(run, slot: &slot)
            case .waitForJob(let jobId):
                if !slot.held {
                    await slot.force(run.connectionId)
                }
                next = try await waitForJob(jobId, of: run)
                await slot.release(connection: run.connectionId)
            case .scheduleRetry(let delay):
                await slot.release(connection: run.connectionId)
                let attempt = run.attempts.last
                await record(run, "run.retryScheduled", actor: run.actor, ["after": String(format: "%.1fs", delay), "attempt": String(attempt?.number ?? 0), "reason": attempt.map { "\($0.outcome)" } ?? ""])
                next = try await sleep(seconds: delay * jitterFactor(), until: run.deadline) ? .retryDue : .deadlinePassed
            case .finish:
                await slot.release(connection: run.connectionId)
                await finished(run)
                return nil
            }
        }
        return next
    }

    /// Whether `event` in `state` leads to a trigger call.
    private static func needsSlot(_ event: RunEvent, _ state: RunState) -> Bool {
        switch event {
        case .start, .retryDue: true
        case .resume: state == .accepted || state == .triggering
        default: false
        }
    }

    private static func order(_ action: RunAction) -> Int {
        if case .cancelJob = action { 0 } else { 1 }
    }

    /// Asks Tableau to refresh; the call runs to its end even if this task is cancelled, so its
    /// answer (a job id) is never lost.
    private func trigger(_ run: Run, slot: inout Slot) async throws -> RunEvent {
        let gateway = try await gateway(for: run)
        let item = run.item
        let result = await Task { () -> Result<TableauJob, GatewayError> in
            do throws(GatewayError) { return .success(try await gateway.triggerRefresh(item)) } catch { return .failure(error) }
        }.value
        let attempt = String(run.attempts.count)
        switch result {
        case .success(let job):
            if let createdAt = job.createdAt { jobCreatedAt[run.id] = createdAt }
            await record(run, "run.triggered", actor: run.actor, ["job": job.id, "attempt": attempt])
            return .jobQueued(jobId: job.id)
        case .failure(let error) where error.code == "409093":
            if let job = try? await gateway.activeRefreshJob(for: item) {
                if let createdAt = job.createdAt { jobCreatedAt[run.id] = createdAt }
                await record(run, "run.joinedTableauJob", actor: run.actor, ["job": job.id, "attempt": attempt])
                return .duplicateFound(jobId: job.id)
            }
            await slot.release(connection: run.connectionId)
            return .transientFailure(
                message: "Tableau already has a refresh of this item queued (409093) and this account cannot see its job; trying again after it")
        case .failure(let error):
            await slot.release(connection: run.connectionId)
            return error.isTransient ? .transientFailure(message: error.message) : .triggerRejected(message: error.message)
        }
    }

    /// Waits for the run's job until its deadline; a transient failure to read the job's state
    /// is retried after a pause.
    private func waitForJob(_ jobId: String, of run: Run) async throws -> RunEvent {
        let gateway = try await gateway(for: run)
        while true {
            let remaining = run.deadline.map { $0.timeIntervalSince(clock.now()) } ?? 7 * 24 * 3600
            guard remaining > 0 else { return .deadlinePassed }
            do {
                let outcome = try await gateway.waitForJob(
                    jobId, createdAt: jobCreatedAt[run.id], timeout: .milliseconds(Int64(remaining * 1000)))
                if outcome == .timedOut && run.deadline == nil { continue }
                return Self.event(for: outcome, deadline: run.deadline)
            } catch {
                try Task.checkCancellation()
                guard error.isTransient else {
                    return .jobFailed(notes: "Freshet could not follow Tableau job \(jobId): \(error.message)")
                }
                _ = try await sleep(seconds: 5 * jitterFactor(), until: run.deadline)
            }
        }
    }

    /// Sleeps `seconds`, or until `deadline` if sooner; returns false when the deadline cut it short.
    private func sleep(seconds: Double, until deadline: Date?) async throws -> Bool {
        let remaining = deadline.map { $0.timeIntervalSince(clock.now()) } ?? .infinity
        try await clock.sleep(for: .milliseconds(Int64(max(0, min(seconds, remaining)) * 1000)))
        return seconds <= remaining
    }

    private func jitterFactor() -> Double {
        1 + Double.random(in: -configuration.jitter...configuration.jitter)
    }

    /// A job this process got from Tableau for a run that ended meanwhile is cancelled, so that
    /// nothing refreshes for a run that timed out or was cancelled.
    private func cancelOrphanedJob(after event: RunEvent, runId: String) async {
        guard case .jobQueued(let jobId) = event, let run = try? await store.run(id: runId), run.jobId != jobId,
            run.state == .cancelled || run.state == .timedOut
        else { return }
        await cancelJob(jobId, of: run)
    }

    /// Renews the lease every third of its duration; when it is lost, stops driving.
    private func renewLease(_ id: String) async {
        let holder = configuration.holder
        while !Task.isCancelled {
            do {
                try await clock.sleep(for: configuration.leaseDuration / 3)
                guard try await store.renew(runId: id, holder: holder, until: leaseEnd(), now: clock.now()) else {
                    drivers[id]?.cancel()
                    return
                }
            } catch {
                return
            }
        }
    }
}

/// A concurrency slot a driver may hold.
struct Slot {
    let limiter: RefreshLimiter
    private(set) var held = false
    private var connection: String?

    init(limiter: RefreshLimiter) {
        self.limiter = limiter
    }

    /// Takes a slot, waiting at most until `deadline`; false when the deadline came first.
    mutating func acquire(_ connection: String, until deadline: Date?, clock: any RunClock) async throws -> Bool {
        let limiter = limiter
        let acquired: Bool
        if let deadline {
            let wait = max(0, deadline.timeIntervalSince(clock.now()))
            acquired = try await withThrowingTaskGroup(of: Bool.self) { group in
                group.addTask {
                    try await limiter.acquire(connection)
                    return true
                }
                group.addTask {
                    try await clock.sleep(for: .milliseconds(Int64(wait * 1000)))
                    return false
                }
                let first = try await group.next() ?? false
                group.cancelAll()
                // The acquire may have won the race against its cancellation: give that slot back.
                while let other = await group.nextResult() {
                    if case .success(true) = other { await limiter.release(connection) }
                }
                return first
            }
        } else {
            try await limiter.acquire(connection)
            acquired = true
        }
        if acquired {
            held = true
            self.connection = connection
        }
        return acquired
    }

    mutating func force(_ connection: String) async {
        await limiter.force(connection)
        held = true
        self.connection = connection
    }

    mutating func release(connection _: String?) async {
        guard held, let connection else { return }
        await limiter.release(connection)
        held = false
    }
}
