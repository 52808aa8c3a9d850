import Foundation
import Freshet
import Testing

/// Whole runs, event by event, as the executor would drive them.
@Suite struct RunStateMachineScenarioTests {
    /// Applies `steps` in order, checking the actions of each.
    func drive(_ machine: inout RunStateMachine, _ steps: [(RunEvent, [RunAction])]) throws {
        for (event, actions) in steps {
            #expect(try machine.handle(event) == actions, "after \(event)")
        }
    }

    @Test func happyPath() throws {
        var machine = RunStateMachine(run: RunFixtures.run())
        try drive(&machine, [
            (.start, [.triggerRefresh]), (.jobQueued(jobId: "j1"), [.waitForJob(jobId: "j1")]), (.jobSucceeded, [.finish(.succeeded)]),
        ])
        #expect(machine.run.state == .succeeded)
        #expect(machine.run.jobId == "j1")
        #expect(machine.run.attempts == [RunAttempt(number: 1, jobId: "j1", outcome: .succeeded)])
    }

    @Test func failureKeepsTableausNotesAndIsNotRetriedUnlessAsked() throws {
        var machine = RunStateMachine(run: RunFixtures.run())
        try drive(&machine, [
            (.start, [.triggerRefresh]), (.jobQueued(jobId: "j1"), [.waitForJob(jobId: "j1")]),
            (.jobFailed(notes: "Extract too big"), [.finish(.failed)]),
        ])
        #expect(machine.run.state == .failed)
        #expect(machine.run.notes == "Extract too big")
        #expect(machine.run.attempts.map(\.outcome) == [.failed(notes: "Extract too big")])
    }

    @Test func failureIsRetriedWhenTheRunAskedForRetries() throws {
        var machine = RunStateMachine(run: RunFixtures.run(retries: 2))
        try drive(&machine, [
            (.start, [.triggerRefresh]), (.jobQueued(jobId: "j1"), [.waitForJob(jobId: "j1")]),
            (.jobFailed(notes: "first"), [.scheduleRetry(after: 30)]),
        ])
        #expect(machine.run.state == .triggering && machine.run.jobId == nil)
        try drive(&machine, [
            (.retryDue, [.triggerRefresh]), (.jobQueued(jobId: "j2"), [.waitForJob(jobId: "j2")]),
            (.jobFailed(notes: "second"), [.finish(.failed)]),
        ])
        #expect(machine.run.notes == "second")
        #expect(machine.run.attempts.map(\.jobId) == ["j1", "j2"])
        #expect(machine.run.attempts.map(\.outcome) == [.failed(notes: "first"), .failed(notes: "second")])
    }

    @Test func transientTriggerFailuresBackOffThenSucceed() throws {
        var machine = RunStateMachine(run: RunFixtures.run(), backoff: TriggerBackoff(maxRetries: 3, initial: 1, multiplier: 2, maximum: 60))
        try drive(&machine, [
            (.start, [.triggerRefresh]), (.transientFailure(message: "HTTP 503"), [.scheduleRetry(after: 1)]),
            (.retryDue, [.triggerRefresh]), (.transientFailure(message: "HTTP 429"), [.scheduleRetry(after: 2)]),
            (.retryDue, [.triggerRefresh]), (.jobQueued(jobId: "j1"), [.waitForJob(jobId: "j1")]), (.jobSucceeded, [.finish(.succeeded)]),
        ])
        #expect(machine.run.attempts.map(\.outcome) == [
            .transientFailure(message: "HTTP 503"), .transientFailure(message: "HTTP 429"), .succeeded,
        ])
    }

    @Test func transientFailuresBeyondTheBackoffFailTheRun() throws {
        var machine = RunStateMachine(run: RunFixtures.run(), backoff: TriggerBackoff(maxRetries: 1, initial: 5))
        try drive(&machine, [
            (.start, [.triggerRefresh]), (.transientFailure(message: "HTTP 503"), [.scheduleRetry(after: 5)]),
            (.retryDue, [.triggerRefresh]), (.transientFailure(message: "connection reset"), [.finish(.failed)]),
        ])
        #expect(machine.run.notes == "The refresh could not be triggered after 2 tries: connection reset")
    }

    @Test func duplicateJoinsTheExistingJob() throws {
        var machine = RunStateMachine(run: RunFixtures.run())
        try drive(&machine, [
            (.start, [.triggerRefresh]), (.duplicateFound(jobId: "theirs"), [.waitForJob(jobId: "theirs")]),
            (.jobSucceeded, [.finish(.succeeded)]),
        ])
        #expect(machine.run.attempts == [RunAttempt(number: 1, jobId: "theirs", joinedExisting: true, outcome: .succeeded)])
    }

    @Test func cancelWhileWaitingCancelsTheTableauJob() throws {
        var machine = RunStateMachine(run: RunFixtures.run())
        try drive(&machine, [
            (.start, [.triggerRefresh]), (.jobQueued(jobId: "j1"), [.waitForJob(jobId: "j1")]),
            (.cancelRequested, [.cancelJob(jobId: "j1")]), (.cancelRequested, []), (.jobCancelled, [.finish(.cancelled)]),
        ])
        #expect(machine.run.state == .cancelled)
        #expect(machine.run.attempts.map(\.outcome) == [.cancelled])
    }

    @Test func cancelDuringTheTriggerCallCancelsTheJobItReturns() throws {
        var machine = RunStateMachine(run: RunFixtures.run())
        try drive(&machine, [
            (.start, [.triggerRefresh]), (.cancelRequested, []),
            (.jobQueued(jobId: "j1"), [.waitForJob(jobId: "j1"), .cancelJob(jobId: "j1")]), (.jobCancelled, [.finish(.cancelled)]),
        ])
    }

    @Test func deadlineTimesOutAndCancelsTheJob() throws {
        var machine = RunStateMachine(run: RunFixtures.run())
        try drive(&machine, [
            (.start, [.triggerRefresh]), (.jobQueued(jobId: "j1"), [.waitForJob(jobId: "j1")]),
            (.deadlinePassed, [.cancelJob(jobId: "j1"), .finish(.timedOut)]),
        ])
        #expect(machine.run.state == .timedOut)
        #expect(machine.run.attempts.map(\.outcome) == [.timedOut])
        #expect(throws: RunTransitionError.self) { try machine.handle(.jobSucceeded) }
    }

    /// After a restart, a machine rebuilt from the stored run resumes: waiting runs are never triggered again.
    @Test(arguments: [RunSituation.accepted, .triggeringInFlight, .triggeringInFlightCancelRequested, .triggeringRetryScheduled, .waiting, .waitingCancelRequested])
    func resumeAfterRestart(_ situation: RunSituation) throws {
        let stored = try situation.machine().run
        var restarted = RunStateMachine(run: stored)
        let actions = try restarted.handle(.resume)
        switch situation {
        case .waiting:
            #expect(actions == [.waitForJob(jobId: "j1")])
        case .waitingCancelRequested:
            #expect(actions == [.waitForJob(jobId: "j1"), .cancelJob(jobId: "j1")])
        case .triggeringInFlightCancelRequested:
            #expect(actions == [.finish(.cancelled)])
            #expect(restarted.run.attempts.map(\.outcome) == [.interrupted])
        case .triggeringInFlight:
            #expect(actions == [.triggerRefresh])
            #expect(restarted.run.attempts.map(\.outcome) == [.interrupted, .pending])
        default:
            #expect(actions == [.triggerRefresh])
        }
        if stored.jobId != nil { #expect(!actions.contains(.triggerRefresh)) }
    }

    @Test func runsRoundTripThroughJSON() throws {
        let run = try RunSituation.failed.machine().run
        let data = try JSONEncoder().encode(run)
        #expect(try JSONDecoder().decode(Run.self, from: data) == run)
    }
}
