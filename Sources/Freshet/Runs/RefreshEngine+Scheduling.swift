import Foundation
import Logging

/// A run this process leases: what is queued for it and what it waits on.
struct OwnedRun {
    var connectionId: String
    /// Events to handle, in order (a step handles one).
    var events: [RunEvent] = []
    /// A step is in progress.
    var busy = false
    /// In the ready queue.
    var queued = false
    /// The event to handle once a job slot is free (the run is parked).
    var parkedEvent: RunEvent?
    /// The job waited on, if any.
    var watching: String?
    /// Identifies the current retry timer; older ones are ignored when they fire.
    var retryToken = 0
    /// Consecutive failures to reconcile an unknown trigger outcome.
    var reconcileFailures = 0
    /// The run was stored started (triggering, holding a slot): its trigger call is due.
    var triggerDue = false
    /// The run as its request stored it, for that trigger call (no read before the call).
    var stored: Run?
    /// The run as stored before its trigger call, for the step that records the call's outcome
    /// (no read first: a change made meanwhile fails that step's compare-and-set, which reads).
    var beforeTrigger: Run?
}

/// A waiting job the connection's poller checks.
struct WatchedJob {
    var jobId: String
    var runIds: Set<String>
    var createdAt: Date?
    /// The refreshed item (``RefreshDurations/key(_:_:)``): its duration is learned when the job ends.
    var itemKey: String
    /// The item's expected refresh duration in seconds, when known.
    var expected: Double?
    var step: Int
    var nextDue: Date
    /// The interval that led to `nextDue` (jobs due within 30% of it join an earlier check).
    var interval: Double
    /// The refreshed item's Tableau id (webhook deliveries name it).
    var itemId: String = ""
    /// When the poller started watching the job.
    var since: Date = .distantPast
    /// A webhook delivery announced the item's refresh ended (a hint, confirmed by a check).
    var announced = false
    /// When the last delivery woke the job, and when its regular check was due before that.
    var hintedAt: Date?
    var resumeDue: Date?
}

/// First in, first out, without moving elements on removal.
struct RunQueue {
    private var items: [String] = []
    private var head = 0

    var isEmpty: Bool { head == items.count }

    mutating func append(_ id: String) { items.append(id) }

    mutating func popFirst() -> String? {
        guard head < items.count else { return nil }
        let id = items[head]
        head += 1
        if head > 1024 && head * 2 > items.count {
            items.removeFirst(head)
            head = 0
        }
        return id
    }
}

/// Scheduling: the workers, the timer heap, job polling, job slots and leases.
extension RefreshEngine {
    // MARK: Owning runs

    /// Starts driving `run` (leased to this process) with `event`.
    func own(_ run: Run, event: RunEvent) {
        guard !stopped, !run.state.isTerminal else { return }
        if owned[run.id] == nil {
            owned[run.id] = OwnedRun(connectionId: run.connectionId)
            if let deadline = run.deadline { addTimer(.event(runId: run.id, event: .deadlinePassed, token: -1), at: deadline) }
            startRenewingLeases()
        }
        enqueue(run.id, event)
    }

    /// Starts driving `run`, stored already started by its request: its trigger call is next.
    func ownStarted(_ run: Run) {
        guard !stopped, owned[run.id] == nil else { return }
        var entry = OwnedRun(connectionId: run.connectionId)
        entry.triggerDue = true
        entry.stored = run
        entry.queued = true
        owned[run.id] = entry
        if let deadline = run.deadline { addTimer(.event(runId: run.id, event: .deadlinePassed, token: -1), at: deadline) }
        startRenewingLeases()
        makeReady(run.id)
    }

    /// Takes over `run` when its lease is free or lapsed (its driver died or stopped).
    func adoptIfAbandoned(_ run: Run) async {
        guard !stopped, owned[run.id] == nil, !run.state.isTerminal, run.lease.map({ $0.until <= clock.now() }) ?? true else { return }
        guard (try? await store.claim(runId: run.id, holder: configuration.holder, until: leaseEnd(), now: clock.now())) == true,
            let current = try? await store.run(id: run.id)
        else { return }
        take(current)
    }

    /// Starts driving `run`, just claimed or found leased to this process, unless this process
    /// drives it already (two paths may find one run: it is driven once).
    func take(_ run: Run) {
        guard owned[run.id] == nil else { return }
        own(run, event: run.state == .accepted ? .start : .resume)
    }

    /// Stops driving run `id` (it ended, or its lease went to another process).
    func disown(_ id: String, connectionId: String) {
        guard let entry = owned.removeValue(forKey: id) else { return }
        if let jobId = entry.watching { unwatch(jobId, runId: id, connectionId: connectionId) }
        jobCreatedAt[id] = nil
        learnedNames[id] = nil
        wakeParked(connectionId, count: 1)
        resumeSettleWaitersIfQuiet()
    }

    // MARK: Workers

    /// Queues `event` for run `id`; a worker handles it when no other step of the run is in progress.
    func enqueue(_ id: String, _ event: RunEvent) {
        guard !stopped, var entry = owned[id] else { return }
        entry.events.append(event)
        let schedule = !entry.busy && !entry.queued
        if schedule { entry.queued = true }
        owned[id] = entry
        if schedule { makeReady(id) }
    }

    private func makeReady(_ id: String) {
        startWorkers()
        if !idleWorkers.isEmpty {
            idleWorkers.removeFirst().resume(returning: id)
        } else {
            ready.append(id)
        }
    }

    private func startWorkers() {
        guard workerTasks.isEmpty, !stopped else { return }
        for _ in 0..<configuration.workers {
            workerTasks.append(Task { await self.workerLoop() })
        }
    }

    private func workerLoop() async {
        while let id = await nextReady() {
            await process(id)
        }
    }

    private func nextReady() async -> String? {
        if stopped { return nil }
        if let id = ready.popFirst() { return id }
        resumeSettleWaitersIfQuiet()
        return await withCheckedContinuation { idleWorkers.append($0) }
    }

    /// Handles the next event of run `id`.
    private func process(_ id: String) async {
        guard var entry = owned[id], !entry.events.isEmpty || entry.triggerDue else {
            owned[id]?.queued = false
            return
        }
        let event = entry.triggerDue ? nil : entry.events.removeFirst()
        let stored = entry.triggerDue ? entry.stored : nil
        entry.triggerDue = false
        entry.stored = nil
        entry.busy = true
        entry.queued = false
        owned[id] = entry
        busySteps += 1
        if let event { await step(id, event) } else { await triggerStarted(id, stored: stored) }
        busySteps -= 1
        if var after = owned[id] {
            after.busy = false
            let again = !after.events.isEmpty && !after.queued && !stopped
            if again { after.queued = true }
            owned[id] = after
            if again { makeReady(id) }
        }
        resumeSettleWaitersIfQuiet()
    }

    var isQuiescent: Bool {
        busySteps == 0 && ready.isEmpty && !owned.values.contains { $0.queued || $0.triggerDue || !$0.events.isEmpty }
    }

    func resumeSettleWaitersIfQuiet() {
        guard !settleWaiters.isEmpty, isQuiescent || stopped else { return }
        let waiting = settleWaiters
        settleWaiters = []
        for waiter in waiting { waiter.resume() }
    }

    // MARK: Timers

    func addTimer(_ kind: RunTimerKind, at due: Date) {
        guard !stopped else { return }
        timers.add(kind, at: due)
        if let sleeping = timerSleepUntil, sleeping <= due, timerTask != nil { return }
        timerTask?.cancel()
        timerTask = Task { await self.timerLoop() }
    }

    private func timerLoop() async {
        while !Task.isCancelled, !stopped {
            let now = clock.now()
            for kind in timers.popDue(now: now) { fire(kind) }
            guard let next = timers.nextDue else {
                timerSleepUntil = nil
                timerTask = nil
                return
            }
            timerSleepUntil = next
            let wait = max(0.001, next.timeIntervalSince(clock.now()))
            do { try await clock.sleep(for: .milliseconds(Int64((wait * 1000).rounded(.up)))) } catch { return }
        }
    }

    private func fire(_ kind: RunTimerKind) {
        switch kind {
        case .event(let runId, let event, let token):
            guard let entry = owned[runId], token < 0 || token == entry.retryToken else { return }
            enqueue(runId, event)
        case .poll(let connectionId):
            pollTimerDue[connectionId] = nil
            guard !pollsInProgress.contains(connectionId), watched[connectionId]?.isEmpty == false else { return }
            pollsInProgress.insert(connectionId)
            Task { await self.poll(connectionId: connectionId) }
        case .slots(let connectionId):
            slotTimerDue.remove(connectionId)
            Task { await self.recheckSlots(connectionId) }
        }
    }

    /// Schedules `event` for run `id` after `seconds`, replacing any earlier retry timer.
    func scheduleRetry(_ id: String, _ event: RunEvent, after seconds: Double) {
        guard var entry = owned[id] else { return }
        entry.retryToken += 1
        owned[id] = entry
        addTimer(.event(runId: id, event: event, token: entry.retryToken), at: clock.now().addingTimeInterval(seconds))
    }

    // MARK: Job slots

    /// Keeps run `id` accepted until one of its connection's job slots is free.
    func park(_ id: String, connectionId: String, event: RunEvent) {
        guard owned[id] != nil else { return }
        owned[id]?.parkedEvent = event
        parked[connectionId, default: []].append(id)
        if !slotTimerDue.contains(connectionId) {
            slotTimerDue.insert(connectionId)
            addTimer(.slots(connectionId: connectionId), at: clock.now().addingTimeInterval(1))
        }
    }

    /// Lets up to `count` parked runs of `connectionId` try for a slot again.
    func wakeParked(_ connectionId: String, count: Int) {
        var remaining = count
        while remaining > 0, var queue = parked[connectionId], !queue.isEmpty {
            let id = queue.removeFirst()
            parked[connectionId] = queue.isEmpty ? nil : queue
            guard let event = owned[id]?.parkedEvent else { continue }
            owned[id]?.parkedEvent = nil
            enqueue(id, event)
            remaining -= 1
        }
    }

    /// Slots freed by other processes: wake as many parked runs as slots are free.
    private func recheckSlots(_ connectionId: String) async {
        guard let queue = parked[connectionId], !queue.isEmpty else { return }
        let inUse = (try? await store.jobSlotsInUse(connectionId: connectionId)) ?? configuration.maxTableauJobsPerConnection
        wakeParked(connectionId, count: max(0, configuration.maxTableauJobsPerConnection - inUse))
        if parked[connectionId]?.isEmpty == false, !slotTimerDue.contains(connectionId) {
            slotTimerDue.insert(connectionId)
            addTimer(.slots(connectionId: connectionId), at: clock.now().addingTimeInterval(1))
        }
    }

    // MARK: Job polling

    /// Has job `jobId` of run `runId` (refreshing `item`) checked by its connection's poller:
    /// first at `expectedEnd` when the item's duration is known, else on the default schedule.
    func watch(_ jobId: String, runId: String, connectionId: String, item: RunItem, createdAt: Date?, expectedEnd: Date?) {
        guard owned[runId] != nil else { return }
        owned[runId]?.watching = jobId
        // Changed in place: a copy of the connection's jobs would make each watch cost O(jobs).
        if watched[connectionId]?[jobId] != nil {
            watched[connectionId]?[jobId]?.runIds.insert(runId)
        } else {
            let key = RefreshDurations.key(connectionId, item)
            let expected = expectedEnd == nil ? nil : durations.expected(for: key)
            let now = clock.now()
            var interval = configuration.polling.interval(step: 0, expected: expected)
            var due = expectedEnd.map { max($0, now) } ?? now.addingTimeInterval(interval)
            if webhooksDeliver(connectionId) {
                // Deliveries wake the run; polling is the slow safety net.
                interval = configuration.polling.fallbackInterval(step: 0, expected: expected)
                due = max(due, now.addingTimeInterval(interval))
            }
            // Tableau may have announced the end already, before the job was watched.
            let announced = unmatchedDelivery(connectionId: connectionId, itemId: item.tableauId, now: now)
            let planned = due
            if announced { due = now }
            var job = WatchedJob(
                jobId: jobId, runIds: [runId], createdAt: createdAt, itemKey: key, expected: expected, step: 0, nextDue: due, interval: interval)
            job.itemId = item.tableauId
            job.since = now
            if announced {
                job.announced = true
                job.hintedAt = now
                job.resumeDue = planned
            }
            watched[connectionId, default: [:]][jobId] = job
        }
        if let due = watched[connectionId]?[jobId]?.nextDue { schedulePoll(connectionId, at: due) }
    }

    func unwatch(_ jobId: String, runId: String, connectionId: String) {
        guard var job = watched[connectionId]?[jobId] else { return }
        job.runIds.remove(runId)
        watched[connectionId]?[jobId] = job.runIds.isEmpty ? nil : job
        if watched[connectionId]?.isEmpty == true { watched[connectionId] = nil }
    }

    func schedulePoll(_ connectionId: String, at due: Date) {
        let due = max(due, pollNotBefore[connectionId] ?? .distantPast)
        if let scheduled = pollTimerDue[connectionId], scheduled <= due { return }
        pollTimerDue[connectionId] = due
        addTimer(.poll(connectionId: connectionId), at: due)
    }

    /// The due jobs and every other watched job created between the oldest and the newest of
    /// them: Query Jobs lists jobs created since the oldest due one, so those come in the same
    /// pages at no extra call, and checking them too moves their next check on. Without it, at
    /// 10,000 waiting jobs whose checks fall due at staggered moments, each second's few due
    /// jobs cost every page (10 calls a second instead of 10 calls per longest interval).
    static func coveredJobs(_ due: [WatchedJob], among watched: [String: WatchedJob]) -> [WatchedJob] {
        let created = due.compactMap(\.createdAt)
        guard due.count > 1, let oldest = created.min(), let newest = created.max() else { return due }
        let dueIds = Set(due.map(\.jobId))
        return due
            + watched.values.filter { job in
                guard !dueIds.contains(job.jobId), let createdAt = job.createdAt else { return false }
                return createdAt >= oldest && createdAt <= newest
            }
    }

    /// One check of every due job of `connectionId` (jobs due within 30% of their interval come
    /// along, so a batch of jobs queued together costs one call per cycle).
    private func poll(connectionId: String) async {
        defer {
            pollsInProgress.remove(connectionId)
            if let next = watched[connectionId]?.values.map(\.nextDue).min() { schedulePoll(connectionId, at: next) }
        }
        let now = clock.now()
        let due = (watched[connectionId] ?? [:]).values.filter { job in
            job.nextDue.timeIntervalSince(now) <= job.interval * 0.3
        }
        guard !due.isEmpty else { return }
        // A held site, or one whose hourly budget of status checks is used up, is not asked until then.
        var notBefore = await currentHold(connectionId)?.until
        if notBefore == nil { notBefore = await takeStatusChecks(connectionId) }
        if let notBefore {
            for job in due { watched[connectionId]?[job.jobId]?.nextDue = max(notBefore, job.nextDue) }
            return
        }
        let checked = Self.coveredJobs(due, among: watched[connectionId] ?? [:])
        let dueIds = Set(due.map(\.jobId))
        // The pages read list every job created since the oldest checked one (Tableau's order is
        // not documented: newest first, they all come before the oldest).
        let oldestChecked = checked.compactMap(\.createdAt).min()
        let listed = oldestChecked.map { oldest in (watched[connectionId] ?? [:]).values.count { ($0.createdAt ?? .distantPast) >= oldest } } ?? 0
        pollNotBefore[connectionId] = now.addingTimeInterval(configuration.polling.spacing(afterChecking: max(checked.count, listed)))
        let outcomes: [String: EndedRefreshJob]
        do {
            let gateway = try await gateway(connectionId: connectionId)
            outcomes = try await gateway.endedJobs(checked.map { TableauJob(id: $0.jobId, createdAt: $0.createdAt) })
        } catch let error as GatewayError where !error.isTransient && !error.isCancelled {
            for job in due {
                watched[connectionId]?[job.jobId] = nil
                for runId in job.runIds {
                    owned[runId]?.watching = nil
                    enqueue(runId, .jobFailed(notes: "Freshet could not follow Tableau job \(job.jobId): \(error.message)"))
                }
            }
            return
        } catch let error as GatewayError where error.isCancelled {
            // The engine is stopping: nothing failed, the jobs are followed again by whoever drives them next.
            logger.debug("job status check cancelled", metadata: ["connection": "\(connectionId)"])
            return
        } catch {
            logger.debug("job status check failed; will retry", metadata: ["connection": "\(connectionId)", "error": "\(error)"])
            var later = clock.now().addingTimeInterval(5)
            if let error = error as? GatewayError, let (until, reason) = holdAsked(by: error) {
                later = await holdSite(connectionId, until: until, reason: reason).until
            }
            for job in due { watched[connectionId]?[job.jobId]?.nextDue = later }
            return
        }
        let after = clock.now()
        for job in checked {
            guard var current = watched[connectionId]?[job.jobId] else { continue }
            if let ended = outcomes[job.jobId] {
                watched[connectionId]?[job.jobId] = nil
                noteUnannouncedEnd(current, connectionId: connectionId, at: after)
                if ended.outcome == .succeeded, let seconds = ended.seconds { durations.record(seconds, for: current.itemKey) }
                var event = Self.event(for: ended.outcome)
                if case .failed(let notes) = ended.outcome { event = await jobFailureEvent(notes, connectionId: connectionId) }
                for runId in current.runIds {
                    owned[runId]?.watching = nil
                    enqueue(runId, event)
                }
            } else if let resume = current.resumeDue, resume > after {
                // A delivery's hint that did not hold (early, repeated, forged): the schedule stays.
                current.nextDue = resume
                current.resumeDue = nil
                watched[connectionId]?[job.jobId] = current
            } else if !dueIds.contains(job.jobId) {
                // Checked ahead of its time (``coveredJobs(_:among:)``): its schedule stays, pushed
                // one interval from now, so that the checks of all waiting jobs fall together.
                current.nextDue = max(current.nextDue, after.addingTimeInterval(current.interval * jitterFactor()))
                watched[connectionId]?[job.jobId] = current
            } else {
                current.resumeDue = nil
                current.step += 1
                current.interval =
                    webhooksDeliver(connectionId)
                    ? configuration.polling.fallbackInterval(step: current.step, expected: current.expected)
                    : configuration.polling.interval(step: current.step, expected: current.expected)
                current.nextDue = after.addingTimeInterval(current.interval * jitterFactor())
                watched[connectionId]?[job.jobId] = current
            }
        }
        if watched[connectionId]?.isEmpty == true { watched[connectionId] = nil }
    }

    func jitterFactor() -> Double {
        1 + Double.random(in: -configuration.jitter...configuration.jitter)
    }

    // MARK: Leases

    /// Renews every lease of this process every third of the lease duration, in one store call;
    /// runs whose lease went to another process are dropped.
    /// Remembers runs that may be leased to this process with nobody driving them; the next
    /// renewal that reaches the store drives those still leased here.
    func dropLeases(_ ids: [String]) {
        droppedLeases.formUnion(ids)
        startRenewingLeases()
    }

    private func startRenewingLeases() {
        guard renewalTask == nil, !stopped else { return }
        renewalTask = Task { await self.renewLeases() }
    }

    private func renewLeases() async {
        while !Task.isCancelled, !stopped {
            do { try await clock.sleep(for: configuration.leaseDuration / 3) } catch { return }
            guard !owned.isEmpty || !droppedLeases.isEmpty || !undrivenLeases.isEmpty else { continue }
            do {
                let held = try await store.renewLeases(holder: configuration.holder, until: leaseEnd(), now: clock.now())
                for (id, entry) in owned where !held.contains(id) && !entry.busy {
                    logger.info("lost the lease of a run to another process", metadata: ["run": "\(id)"])
                    disown(id, connectionId: entry.connectionId)
                }
                adoptUndriven(held: held)
                await resumeDropped(held: held)
            } catch {
                logger.warning("could not renew run leases", metadata: ["error": "\(error)"])
            }
        }
    }

    /// The invariant behind every other path: a run leased to this process is driven by it.
    /// Runs held at a renewal but not driven (a path that stored or claimed a run and then lost
    /// track of it) would otherwise stay leased forever — every renewal extends them and no other
    /// process may take them. Those still undriven at the next renewal (a submit or claim under
    /// way finishes well within one) are driven like dropped runs.
    private func adoptUndriven(held: Set<String>) {
        let undriven = held.filter { owned[$0] == nil && !droppedLeases.contains($0) }
        let stranded = undriven.intersection(undrivenLeases)
        undrivenLeases = undriven.subtracting(stranded)
        guard !stranded.isEmpty else { return }
        logger.warning(
            "driving runs leased to this process that it was not driving", metadata: ["runs": "\(stranded.count)", "first": "\(stranded.min() ?? "")"])
        droppedLeases.formUnion(stranded)
    }

    /// Drives again each run dropped after a failure (``droppedLeases``) whose lease this process
    /// still `held` at a renewal; forgets those it no longer holds (ended, or taken over).
    private func resumeDropped(held: Set<String>) async {
        for id in droppedLeases {
            guard held.contains(id), owned[id] == nil, !stopped else {
                droppedLeases.remove(id)
                continue
            }
            guard let run = try? await store.run(id: id) else { continue }  // away again: the next renewal tries
            droppedLeases.remove(id)
            guard owned[id] == nil, !stopped else { continue }
            logger.info("driving again a run dropped while the database was away", metadata: ["run": "\(id)"])
            take(run)
        }
    }
}
