import Foundation
import Freshet
import Testing

/// A situation a run can be in: its state plus what matters inside it.
enum RunSituation: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case accepted, triggeringInFlight, triggeringInFlightCancelRequested, triggeringRetryScheduled
    case triggeringOutcomeUnknown, triggeringOutcomeUnknownCancelRequested
    case waiting, waitingCancelRequested, succeeded, failed, cancelled, timedOut

    var testDescription: String { rawValue }

    /// A machine in this situation, reached through legal events (job "j1").
    func machine() throws -> RunStateMachine {
        var machine = RunStateMachine(run: RunFixtures.run())
        let path: [RunEvent] =
            switch self {
            case .accepted: []
            case .triggeringInFlight: [.start]
            case .triggeringInFlightCancelRequested: [.start, .cancelRequested]
            case .triggeringRetryScheduled: [.start, .transientFailure(message: "HTTP 503")]
            case .triggeringOutcomeUnknown: [.start, .outcomeUnknown(message: "connection dropped")]
            case .triggeringOutcomeUnknownCancelRequested: [.start, .outcomeUnknown(message: "connection dropped"), .cancelRequested]
            case .waiting: [.start, .jobQueued(jobId: "j1")]
            case .waitingCancelRequested: [.start, .jobQueued(jobId: "j1"), .cancelRequested]
            case .succeeded: [.start, .jobQueued(jobId: "j1"), .jobSucceeded]
            case .failed: [.start, .jobQueued(jobId: "j1"), .jobFailed(notes: "bad")]
            case .cancelled: [.cancelRequested]
            case .timedOut: [.deadlinePassed]
            }
        for event in path { _ = try machine.handle(event) }
        return machine
    }
}

enum RunFixtures {
    static let now = Date(timeIntervalSince1970: 1_750_000_000)
    static let item = RunItem(contentType: .datasource, tableauId: "ds-1", name: "Sales")

    static func run(retries: Int = 1) -> Run {
        Run(
            id: "run-1", connectionId: "conn-1", target: "datasource Sales", item: item, actor: "cli:ana",
            retryPolicy: RunRetryPolicy(maxAttempts: retries, delay: 30), createdAt: now)
    }

    /// One sample of every event.
    static let events: [RunEvent] = [
        .start, .resume, .jobQueued(jobId: "j2"), .duplicateFound(jobId: "j2"), .transientFailure(message: "HTTP 502"),
        .triggerRejected(message: "Extract operation for the data source is not allowed"), .retryDue,
        .jobSucceeded, .jobFailed(notes: "Extract too big"), .jobCancelled, .cancelRequested, .deadlinePassed,
        .outcomeUnknown(message: "HTTP 502"), .jobFound(jobId: "j2"), .noJobFound(message: "Tableau has no job for it"),
    ]

    /// The reconciliation every unknown outcome asks for: jobs since the attempt began.
    static let reconcile = RunAction.reconcile(since: now)

    /// The specification: the next state and actions of every legal (situation, event); nil when refused.
    static func expected(_ situation: RunSituation, _ event: RunEvent) -> (RunState, [RunAction])? {
        switch (situation, event) {
        case (.succeeded, _), (.failed, _), (.cancelled, _), (.timedOut, _): return nil
        case (.waiting, .deadlinePassed), (.waitingCancelRequested, .deadlinePassed):
            return (.timedOut, [.cancelJob(jobId: "j1"), .finish(.timedOut)])
        case (_, .deadlinePassed): return (.timedOut, [.finish(.timedOut)])
        case (.accepted, .start), (.accepted, .resume): return (.triggering, [.triggerRefresh])
        case (.accepted, .cancelRequested): return (.cancelled, [.finish(.cancelled)])
        case (.triggeringInFlight, .jobQueued), (.triggeringInFlight, .duplicateFound): return (.waiting, [.waitForJob(jobId: "j2")])
        case (.triggeringInFlightCancelRequested, .jobQueued), (.triggeringInFlightCancelRequested, .duplicateFound):
            return (.waiting, [.waitForJob(jobId: "j2"), .cancelJob(jobId: "j2")])
        case (.triggeringInFlight, .transientFailure): return (.triggering, [.scheduleRetry(after: 1)])
        case (.triggeringInFlightCancelRequested, .transientFailure): return (.cancelled, [.finish(.cancelled)])
        case (.triggeringInFlight, .triggerRejected): return (.failed, [.finish(.failed)])
        case (.triggeringInFlightCancelRequested, .triggerRejected): return (.cancelled, [.finish(.cancelled)])
        case (.triggeringRetryScheduled, .resume), (.triggeringRetryScheduled, .retryDue):
            return (.triggering, [.triggerRefresh])
        // A call in flight when the process died, or an answer that was lost: reconcile, never trigger blindly.
        case (.triggeringInFlight, .resume), (.triggeringInFlightCancelRequested, .resume),
            (.triggeringInFlight, .outcomeUnknown), (.triggeringInFlightCancelRequested, .outcomeUnknown),
            (.triggeringOutcomeUnknown, .resume), (.triggeringOutcomeUnknown, .retryDue),
            (.triggeringOutcomeUnknownCancelRequested, .resume), (.triggeringOutcomeUnknownCancelRequested, .retryDue):
            return (.triggering, [reconcile])
        case (.triggeringOutcomeUnknown, .jobFound): return (.waiting, [.waitForJob(jobId: "j2")])
        case (.triggeringOutcomeUnknownCancelRequested, .jobFound): return (.waiting, [.waitForJob(jobId: "j2"), .cancelJob(jobId: "j2")])
        case (.triggeringOutcomeUnknown, .noJobFound): return (.triggering, [.scheduleRetry(after: 1)])
        case (.triggeringOutcomeUnknownCancelRequested, .noJobFound): return (.cancelled, [.finish(.cancelled)])
        case (.triggeringInFlight, .cancelRequested), (.triggeringInFlightCancelRequested, .cancelRequested),
            (.triggeringOutcomeUnknown, .cancelRequested), (.triggeringOutcomeUnknownCancelRequested, .cancelRequested):
            return (.triggering, [])
        case (.triggeringRetryScheduled, .cancelRequested): return (.cancelled, [.finish(.cancelled)])
        case (.waiting, .jobSucceeded), (.waitingCancelRequested, .jobSucceeded): return (.succeeded, [.finish(.succeeded)])
        case (.waiting, .jobFailed), (.waitingCancelRequested, .jobFailed): return (.failed, [.finish(.failed)])
        case (.waiting, .jobCancelled), (.waitingCancelRequested, .jobCancelled): return (.cancelled, [.finish(.cancelled)])
        case (.waiting, .cancelRequested): return (.waiting, [.cancelJob(jobId: "j1")])
        case (.waitingCancelRequested, .cancelRequested): return (.waiting, [])
        case (.waiting, .resume): return (.waiting, [.waitForJob(jobId: "j1")])
        case (.waitingCancelRequested, .resume): return (.waiting, [.waitForJob(jobId: "j1"), .cancelJob(jobId: "j1")])
        default: return nil
        }
    }
}

@Suite struct RunStateMachineTransitionTests {
    /// Every (situation, event) pair is the specified transition, or refused leaving the run unchanged.
    @Test(arguments: RunSituation.allCases, RunFixtures.events)
    func everyPairIsSpecifiedOrRefused(_ situation: RunSituation, _ event: RunEvent) throws {
        var machine = try situation.machine()
        let before = machine.run
        if let (state, actions) = RunFixtures.expected(situation, event) {
            #expect(try machine.handle(event) == actions)
            #expect(machine.run.state == state)
            #expect(machine.run.state == .waiting ? machine.run.jobId != nil : true)
        } else {
            let error = try #require(throws: RunTransitionError.self) { try machine.handle(event) }
            #expect(error.state == before.state && error.event == event)
            #expect(error.description.hasPrefix("Cannot handle \(event) in state \(before.state): "))
            #expect(machine.run == before)
        }
    }

    @Test(arguments: RunState.allCases)
    func terminalStatesRefuseEverything(_ state: RunState) throws {
        var run = RunFixtures.run()
        run.state = state
        var machine = RunStateMachine(run: run)
        for event in RunFixtures.events where state.isTerminal {
            let error = try #require(throws: RunTransitionError.self) { try machine.handle(event) }
            #expect(error.reason == "the run has already ended")
        }
        #expect(state.isTerminal == RunState.terminal.contains(state))
        #expect(RunState.terminal.union(RunState.nonTerminal) == Set(RunState.allCases))
    }

    @Test func refusalsSayWhy() throws {
        var waiting = try RunSituation.waiting.machine()
        #expect(throws: RunTransitionError(state: .waiting, event: .jobQueued(jobId: "j2"), reason: "the run is waiting for Tableau job j1")) {
            try waiting.handle(.jobQueued(jobId: "j2"))
        }
        var accepted = try RunSituation.accepted.machine()
        #expect(throws: RunTransitionError(state: .accepted, event: .jobSucceeded, reason: "the run has not been started")) {
            try accepted.handle(.jobSucceeded)
        }
        var scheduled = try RunSituation.triggeringRetryScheduled.machine()
        #expect(throws: RunTransitionError(state: .triggering, event: .jobQueued(jobId: "j2"), reason: "no trigger call is in flight")) {
            try scheduled.handle(.jobQueued(jobId: "j2"))
        }
    }

    @Test func backoffGrowsToItsMaximum() {
        let backoff = TriggerBackoff(maxRetries: 9, initial: 2, multiplier: 3, maximum: 40)
        #expect((1...5).map(backoff.delay(beforeRetry:)) == [2, 6, 18, 40, 40])
        #expect(RunRetryPolicy(maxAttempts: 0).maxAttempts == 1)
    }
}
