import Foundation

/// How a ``RefreshEngine`` drives runs.
package struct RefreshEngineConfiguration: Sendable {
    /// This process's name in run leases (unique per process: host, pid and a random part).
    package var holder: String
    /// How long a lease lasts unless renewed; another process takes over a run this long after
    /// its driver died. Renewed every third of it, for every run of the process at once.
    package var leaseDuration: Duration
    /// How often a watcher re-reads runs that another process drives.
    package var watchInterval: Duration
    /// Tableau jobs started by Freshet that may be queued or running at once per connection,
    /// across every process sharing the store and across restarts (a run holds one of these
    /// slots from before its trigger call until its job ends). Runs beyond it stay accepted.
    package var maxTableauJobsPerConnection: Int
    /// Runs stepped at once in this process: each step makes at most one Tableau call, so this
    /// also bounds this process's concurrent trigger calls (keep it within the HTTP client's
    /// per-host connection pool so that calls never queue behind each other). The default (64)
    /// is above the default job limit (20): a burst of requests up to the limit has every
    /// trigger call in flight together, none waiting a Tableau round trip for a free worker.
    package var workers: Int
    /// Retries of trigger calls that fail transiently (429, 5xx, network).
    package var backoff: TriggerBackoff
    /// How often a waiting job's state is checked.
    package var polling: JobPollingSchedule
    /// How far before an attempt's start a job found by reconciliation may have been created
    /// (clock skew between Freshet and Tableau, whose times have whole seconds).
    package var reconcileMargin: Duration
    /// Random spread added to retry delays, as a fraction (0.2: ±20%).
    package var jitter: Double
    /// Refresh starts and status checks per site and hour (Tableau Cloud's capacity by default on Cloud).
    package var siteBudget: TableauSiteBudget

    /// A configuration; `holder` defaults to host, pid and a random suffix.
    package init(
        holder: String = RefreshEngineConfiguration.defaultHolder(), leaseDuration: Duration = .seconds(30),
        watchInterval: Duration = .seconds(1), maxTableauJobsPerConnection: Int = 20, workers: Int = 64,
        backoff: TriggerBackoff = TriggerBackoff(), polling: JobPollingSchedule = JobPollingSchedule(),
        reconcileMargin: Duration = .seconds(2), jitter: Double = 0.2, siteBudget: TableauSiteBudget = TableauSiteBudget()
    ) {
        self.siteBudget = siteBudget
        self.holder = holder
        self.leaseDuration = leaseDuration
        self.watchInterval = watchInterval
        self.maxTableauJobsPerConnection = max(1, maxTableauJobsPerConnection)
        self.workers = max(1, workers)
        self.backoff = backoff
        self.polling = polling
        self.reconcileMargin = reconcileMargin
        self.jitter = min(max(0, jitter), 1)
    }

    /// "host:pid:random".
    package static func defaultHolder() -> String {
        let info = ProcessInfo.processInfo
        return "\(info.hostName):\(info.processIdentifier):\(UUID().uuidString.prefix(8))"
    }
}

/// When a waiting job is checked. An item whose recent refresh durations are known is first
/// checked just after its expected end (``firstCheck(expected:)``), then every
/// ``interval(step:expected:)``; an item without history is checked `initial` after it was
/// queued, then each interval `multiplier` times the last, at most `maximum`. Jobs of one
/// connection that fall due together share one batched check.
package struct JobPollingSchedule: Sendable, Equatable {
    /// Seconds before the first check.
    package var initial: Double
    /// Growth per check.
    package var multiplier: Double
    /// Longest interval, in seconds.
    package var maximum: Double
    /// Status calls (Query Jobs pages) per second and connection at most: checks of many jobs
    /// are spaced so that their pages stay within it.
    package var statusCallsPerSecond: Double
    /// Jobs one status call lists (Query Jobs' largest page).
    package var jobsPerStatusCall: Int

    /// A schedule; values are clamped to sensible ranges.
    package init(
        initial: Double = 0.5, multiplier: Double = 1.4, maximum: Double = 15, statusCallsPerSecond: Double = 2, jobsPerStatusCall: Int = 1000
    ) {
        self.initial = max(0.01, initial)
        self.multiplier = max(1, multiplier)
        self.maximum = max(self.initial, maximum)
        self.statusCallsPerSecond = max(0.01, statusCallsPerSecond)
        self.jobsPerStatusCall = max(1, jobsPerStatusCall)
    }

    /// Seconds from a check of `jobs` jobs to the next check of their connection: their pages
    /// at ``statusCallsPerSecond`` (one page: half a second, the shortest interval anyway).
    package func spacing(afterChecking jobs: Int) -> Double {
        Double((max(1, jobs) + jobsPerStatusCall - 1) / jobsPerStatusCall) / statusCallsPerSecond
    }

    /// Seconds from queuing to the first check of a job expected to take `expected` seconds:
    /// a little after it (Tableau's times have whole seconds; durations vary a little).
    package func firstCheck(expected: Double) -> Double {
        max(initial, expected * 1.05 + 0.5)
    }

    /// The interval before check number `step` (0 for the first) of a job expected to take
    /// `expected` seconds (nil: unknown). Known: after the first check (at
    /// ``firstCheck(expected:)``), from a tenth of the duration (at least `initial`), growing by
    /// `multiplier` up to `maximum`.
    package func interval(step: Int, expected: Double?) -> Double {
        guard let expected else { return interval(step: step) }
        if step == 0 { return firstCheck(expected: expected) }
        return grown(from: min(max(initial, expected * 0.1), maximum), steps: step - 1)
    }

    /// Seconds at least between the checks of a job whose connection has Tableau webhooks: the
    /// delivery wakes the run, polling only catches deliveries that never came.
    package static let fallbackMinimum: Double = 30

    /// The interval before check number `step` of a job whose end a webhook delivery announces:
    /// twice the usual one, at least ``fallbackMinimum``, growing to ten times `maximum`.
    package func fallbackInterval(step: Int, expected: Double?) -> Double {
        min(max(Self.fallbackMinimum, interval(step: step, expected: expected) * 2), max(Self.fallbackMinimum, maximum * 10))
    }

    /// The interval before check number `step` (0 for the first) of a job of unknown duration.
    package func interval(step: Int) -> Double {
        grown(from: initial, steps: step)
    }

    private func grown(from start: Double, steps: Int) -> Double {
        var value = start
        var step = steps
        while step > 0 && value < maximum {
            value *= multiplier
            step -= 1
        }
        return min(value, maximum)
    }
}
