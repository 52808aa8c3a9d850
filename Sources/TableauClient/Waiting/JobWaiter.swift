import Foundation
import Logging

/// Waits on jobs with one polling loop for all of them.
///
/// Each awaited job has its own backoff schedule (``PollingPolicy``); a cycle runs when any job
/// is due and serves every awaited job: with several jobs and an account allowed to Query Jobs,
/// one list call answers them all (only failed jobs cost a second call, for Tableau's notes);
/// otherwise each due job is fetched on its own. A 403 on Query Jobs switches to per-job polling
/// for the life of the client.
actor JobWaiter {
    private struct Waiter {
        var jobId: String
        var createdAt: Date?
        var deadline: Duration
        var step: Int
        var nextDue: Duration
        var continuation: CheckedContinuation<JobOutcome, any Error>
    }

    private let policy: PollingPolicy
    private let clock: any PollingClock
    private let logger: Logger
    private var waiters: [UUID: Waiter] = [:]
    private var driver: Task<Void, Never>?
    private var sleeper: Task<Void, any Error>?
    private var batchingRefused = false
    /// Status calls made (list or per-job), for tests and benchmarks.
    private(set) var pollCalls = 0

    init(policy: PollingPolicy, clock: any PollingClock, logger: Logger) {
        self.policy = policy
        self.clock = clock
        self.logger = logger
    }

    func wait(for jobId: String, createdAt: Date?, timeout: Duration, client: TableauClient) async throws(TableauError) -> JobOutcome {
        let key = UUID()
        do {
            return try await withTaskCancellationHandler {
                try await withCheckedThrowingContinuation { continuation in
                    let now = clock.now()
                    waiters[key] = Waiter(
                        jobId: jobId, createdAt: createdAt, deadline: now + timeout, step: 0,
                        nextDue: now + policy.interval(step: 0), continuation: continuation
                    )
                    sleeper?.cancel()
                    if driver == nil { driver = Task { await self.drive(client: client) } }
                }
            } onCancel: {
                Task { await self.cancel(key) }
            }
        } catch let error as TableauError {
            throw error
        } catch {
            throw TableauError.cancelled("stopped waiting for job \(jobId): the wait was cancelled")
        }
    }

    private func cancel(_ key: UUID) {
        guard let waiter = waiters.removeValue(forKey: key) else { return }
        waiter.continuation.resume(throwing: CancellationError())
    }

    private func finish(_ key: UUID, _ result: Result<JobOutcome, TableauError>) {
        guard let waiter = waiters.removeValue(forKey: key) else { return }
        waiter.continuation.resume(with: result.mapError { $0 as any Error })
    }

    func polls() -> Int { pollCalls }

    /// Jobs being waited on now.
    func waitingCount() -> Int { waiters.count }

    private func drive(client: TableauClient) async {
        defer { driver = nil }
        while !waiters.isEmpty {
            let now = clock.now()
            let wake = waiters.values.map { min($0.nextDue, $0.deadline) }.min() ?? now
            if wake > now {
                let nap = Task { [clock] in try await clock.sleep(for: wake - now) }
                sleeper = nap
                _ = try? await nap.value
                sleeper = nil
                continue
            }
            for (key, waiter) in waiters where waiter.deadline <= now { finish(key, .success(.timedOut)) }
            // Jobs awaited together fall due milliseconds apart (their schedules start as their
            // refreshes return); one cycle serves those due within 30% of their interval, so a
            // batch of jobs costs one status query per cycle instead of a burst of them.
            let due = waiters.filter { entry in
                entry.value.nextDue <= now + policy.interval(step: entry.value.step, jitter: false) * 0.3
            }.map(\.key)
            guard !due.isEmpty else { continue }
            if waiters.count > 1 && policy.batchStatusQueries && !batchingRefused {
                await pollBatch(client: client)
            } else {
                for key in due { await pollOne(key, client: client) }
            }
            let after = clock.now()
            for key in due where waiters[key] != nil {
                waiters[key]!.step += 1
                waiters[key]!.nextDue = after + policy.interval(step: waiters[key]!.step)
            }
        }
    }

    /// `GET jobs/{id}` for one waiter.
    private func pollOne(_ key: UUID, client: TableauClient) async {
        guard let jobId = waiters[key]?.jobId else { return }
        pollCalls += 1
        do {
            let job = try await client.job(jobId)
            if waiters[key]?.createdAt == nil { waiters[key]?.createdAt = job.createdAt }
            if let outcome = job.outcome { finish(key, .success(outcome)) }
        } catch where error.isTransient {
            logger.debug("job status check failed; will retry", metadata: ["job": "\(jobId)"])
        } catch {
            finish(key, .failure(error))
        }
    }

    /// One Query Jobs pass over every awaited job.
    private func pollBatch(client: TableauClient) async {
        // Jobs whose creation time is unknown are fetched once on their own first.
        for (key, waiter) in waiters where waiter.createdAt == nil { await pollOne(key, client: client) }
        let pending = waiters.filter { $0.value.createdAt != nil }
        guard let oldest = pending.values.compactMap(\.createdAt).min() else { return }
        var options = ListOptions(pageSize: 1000)
        options.filter("createdAt", .gte, TableauTimestamp.format(oldest.addingTimeInterval(-1)))
        var found: [String: BackgroundJob] = [:]
        let wanted = Set(pending.values.map(\.jobId))
        var page = 1
        while true {
            options.pageNumber = page
            pollCalls += 1
            do {
                let result = try await client.jobsPage(options)
                for job in result.items where wanted.contains(job.id) { found[job.id] = job }
                guard found.count < wanted.count, result.pagination.hasMore, !result.items.isEmpty else { break }
                page += 1
            } catch where error.isForbidden {
                logger.debug("query jobs refused; polling jobs one by one")
                batchingRefused = true
                for key in pending.keys { await pollOne(key, client: client) }
                return
            } catch {
                logger.debug("query jobs failed; will retry", metadata: ["status": "\(error.status ?? 0)"])
                return
            }
        }
        for (key, waiter) in pending {
            guard let job = found[waiter.jobId] else {
                await pollOne(key, client: client)
                continue
            }
            switch job.status {
            case "Success": finish(key, .success(.succeeded))
            case "Cancelled": finish(key, .success(.cancelled))
            case "Failed": await pollOne(key, client: client)  // the notes are only on the job itself
            default: break
            }
        }
    }
}
