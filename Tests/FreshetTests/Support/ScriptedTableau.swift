import Foundation
import Freshet
import Synchronization

/// A stand-in for one Tableau site, scripted by the test: items, jobs that end after a set
/// time on the test's clock, and faults (a trigger whose answer is lost after the job was
/// queued, a 503 before anything happened). It records every call, so a test can count
/// triggers and jobs per item.
final class ScriptedTableau: RefreshGateway {
    struct Job {
        var id: String
        var item: RunItem
        var createdAt: Date
        var endsAt: Date?
        var outcome: RefreshJobOutcome
    }

    /// What the next trigger calls do, in order (then: queue normally).
    enum TriggerFault: Sendable, Equatable {
        /// Queue the job, then lose the answer (dropped connection).
        case loseAnswer
        /// Answer 503 before queuing anything (the client cannot know that).
        case unavailable
        /// Answer 429 (certainly nothing queued).
        case rateLimited
        /// Refuse with this error (429 naming a wait, 403, 409090…).
        case refuse(GatewayError)
    }

    struct State {
        var items: [String: RefreshableItem] = [:]
        var jobs: [Job] = []
        var faults: [TriggerFault] = []
        var calls: [String] = []
        var maxActiveJobs = 0
        var queryJobsForbidden = false
        var jobSeconds: Double = 3
        /// Outcomes of the next jobs, in order (then: succeeded).
        var outcomes: [RefreshJobOutcome] = []
        /// What the next status checks answer instead of the jobs' states, in order.
        var checkFaults: [GatewayError] = []
        /// When each call was made (the test's clock), in order.
        var callTimes: [(call: String, at: Date)] = []
        /// Holds every trigger call until released, when set.
        var gate: TriggerGate?
    }

    /// Holds trigger calls until ``release()``, counting them: how many calls are in flight at once.
    actor TriggerGate {
        private(set) var waiting = 0
        private var open = false
        private var waiters: [CheckedContinuation<Void, Never>] = []

        func arrive() async {
            guard !open else { return }
            waiting += 1
            await withCheckedContinuation { waiters.append($0) }
        }

        func release() {
            open = true
            for waiter in waiters { waiter.resume() }
            waiters = []
        }
    }

    let clock: ManualRunClock
    let state = Mutex(State())

    init(clock: ManualRunClock, items: [RefreshableItem], jobSeconds: Double = 3) {
        self.clock = clock
        state.withLock { state in
            state.jobSeconds = jobSeconds
            for item in items { state.items[item.item.tableauId] = item }
        }
    }

    /// How long the next jobs take.
    var jobSeconds: Double {
        get { state.withLock { $0.jobSeconds } }
        set { state.withLock { $0.jobSeconds = newValue } }
    }

    /// Data sources "Item 1"… with ids `00000000-0000-0000-0000-00000000000N`.
    static func items(_ count: Int) -> [RefreshableItem] {
        (1...count).map { index in
            RefreshableItem(
                item: RunItem(contentType: .datasource, tableauId: String(format: "00000000-0000-0000-0000-%012d", index), name: "Item \(index)"),
                projectName: "Finance", hasExtracts: true)
        }
    }

    func script(_ faults: [TriggerFault]) { state.withLock { $0.faults += faults } }
    func script(outcomes: [RefreshJobOutcome]) { state.withLock { $0.outcomes += outcomes } }
    func script(checkFaults: [GatewayError]) { state.withLock { $0.checkFaults += checkFaults } }
    /// Calls made after `start` and before `end`.
    func calls(between start: Date, and end: Date) -> [String] {
        state.withLock { $0.callTimes.filter { $0.at > start && $0.at < end }.map(\.call) }
    }
    /// When each call was made.
    var callTimes: [(call: String, at: Date)] { state.withLock { $0.callTimes } }
    var calls: [String] { state.withLock { $0.calls } }
    var jobs: [Job] { state.withLock { $0.jobs } }
    var maxActiveJobs: Int { state.withLock { $0.maxActiveJobs } }

    /// Jobs created per item id.
    var jobsPerItem: [String: Int] { Dictionary(grouping: jobs, by: \.item.tableauId).mapValues(\.count) }

    private func log(_ call: String) {
        let now = clock.now()
        state.withLock { state in
            state.calls.append(call)
            state.callTimes.append((call, now))
        }
    }

    private func ended(_ job: Job, now: Date) -> Bool { job.endsAt.map { $0 <= now } ?? false }

    // MARK: RefreshGateway

    func item(_ type: RunItem.ContentType, id: String) async throws(GatewayError) -> RefreshableItem? {
        log("item \(id)")
        return state.withLock { $0.items[id] }
    }

    func items(_ type: RunItem.ContentType, named name: String, inProject project: String?) async throws(GatewayError) -> [RefreshableItem] {
        log("items named \(name)")
        return state.withLock { $0.items.values.filter { $0.item.name == name && (project == nil || $0.projectName == project) } }
    }

    func allItems(_ type: RunItem.ContentType) async throws(GatewayError) -> [RefreshableItem] {
        log("all items")
        return state.withLock { Array($0.items.values) }
    }

    func items(_ type: RunItem.ContentType, limit: Int) async throws(GatewayError) -> [RefreshableItem] {
        state.withLock { Array($0.items.values.prefix(limit)) }
    }

    func items(inProject project: String) async throws(GatewayError) -> [RefreshableItem] {
        state.withLock { $0.items.values.filter { $0.projectName == project }.sorted { $0.item.name < $1.item.name } }
    }

    func projectExists(_ project: String) async throws(GatewayError) -> Bool {
        state.withLock { $0.items.values.contains { $0.projectName == project } }
    }

    func downstream(of table: TableName) async throws(GatewayError) -> [RefreshableItem] { [] }

    func triggerRefresh(_ item: RunItem) async throws(GatewayError) -> TableauJob {
        if let gate = state.withLock({ $0.gate }) { await gate.arrive() }
        let now = clock.now()
        let result = state.withLock { state -> Result<TableauJob, GatewayError> in
            state.calls.append("trigger \(item.tableauId)")
            state.callTimes.append(("trigger \(item.tableauId)", now))
            let fault = state.faults.isEmpty ? nil : state.faults.removeFirst()
            switch fault {
            case .unavailable: return .failure(GatewayError(status: 503, message: "HTTP 503", isTransient: true, outcomeUnknown: true))
            case .rateLimited: return .failure(GatewayError(status: 429, message: "HTTP 429", isTransient: true))
            case .refuse(let error): return .failure(error)
            default: break
            }
            if state.jobs.contains(where: { $0.item.tableauId == item.tableauId && !ended($0, now: now) }) {
                return .failure(GatewayError(status: 409, code: "409093", message: "already queued"))
            }
            let outcome = state.outcomes.isEmpty ? RefreshJobOutcome.succeeded : state.outcomes.removeFirst()
            let job = Job(id: "job-\(state.jobs.count + 1)", item: item, createdAt: now, endsAt: now.addingTimeInterval(state.jobSeconds), outcome: outcome)
            state.jobs.append(job)
            let active = state.jobs.filter { !ended($0, now: now) }.count
            state.maxActiveJobs = max(state.maxActiveJobs, active)
            if fault == .loseAnswer {
                return .failure(GatewayError(message: "the connection was closed before Tableau answered", isTransient: true, isUnreachable: true, outcomeUnknown: true))
            }
            return .success(TableauJob(id: job.id, createdAt: now, itemName: state.items[item.tableauId]?.item.name))
        }
        return try result.get()
    }

    func activeRefreshJob(for item: RunItem) async throws(GatewayError) -> TableauJob? {
        let now = clock.now()
        return state.withLock { state in
            state.jobs.last { $0.item.tableauId == item.tableauId && !ended($0, now: now) }.map { TableauJob(id: $0.id, createdAt: $0.createdAt) }
        }
    }

    func refreshJob(for item: RunItem, createdSince since: Date) async throws(GatewayError) -> TableauJob? {
        let forbidden = state.withLock { state in
            state.calls.append("find job \(item.tableauId)")
            return state.queryJobsForbidden
        }
        if forbidden { throw GatewayError(status: 403, message: "forbidden") }
        return state.withLock { state in
            state.jobs.first { $0.item.tableauId == item.tableauId && $0.createdAt >= since }.map { TableauJob(id: $0.id, createdAt: $0.createdAt) }
        }
    }

    func endedJobs(_ jobs: [TableauJob]) async throws(GatewayError) -> [String: EndedRefreshJob] {
        let now = clock.now()
        let answer = state.withLock { state -> Result<[String: EndedRefreshJob], GatewayError> in
            state.calls.append("check \(jobs.count) jobs")
            state.callTimes.append(("check \(jobs.count) jobs", now))
            if !state.checkFaults.isEmpty { return .failure(state.checkFaults.removeFirst()) }
            var ended: [String: EndedRefreshJob] = [:]
            for wanted in jobs {
                if let job = state.jobs.first(where: { $0.id == wanted.id }), self.ended(job, now: now), let end = job.endsAt {
                    // Tableau's times have whole seconds.
                    let seconds = (end.timeIntervalSince1970.rounded(.down) - job.createdAt.timeIntervalSince1970.rounded(.down))
                    ended[job.id] = EndedRefreshJob(job.outcome, seconds: seconds)
                }
            }
            return .success(ended)
        }
        return try answer.get()
    }

    func jobOutcome(_ jobId: String) async throws(GatewayError) -> RefreshJobOutcome? {
        let now = clock.now()
        return state.withLock { state in state.jobs.first { $0.id == jobId }.flatMap { ended($0, now: now) ? $0.outcome : nil } }
    }

    func cancelJob(_ jobId: String) async throws(GatewayError) {
        let now = clock.now()
        state.withLock { state in
            state.calls.append("cancel \(jobId)")
            if let index = state.jobs.firstIndex(where: { $0.id == jobId }), !ended(state.jobs[index], now: now) {
                state.jobs[index].endsAt = now
                state.jobs[index].outcome = .cancelled
            }
        }
    }

    func signOut() async { log("sign out") }
}
