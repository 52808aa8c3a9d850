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
        #expect(machine.run.attempts == [RunAttempt(number: 1, jobId: "j1", startedAt: RunFixtures.now, outcome: .succeeded)])
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
        #expect(machine.run.attempts == [RunAttempt(number: 1, jobId: "theirs", joinedExisting: true, startedAt: RunFixtures.now, outcome: .succeeded)])
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

    /// A trigger whose answer was lost adopts the job Tableau queued: one attempt, no second trigger.
    @Test func lostAnswerAdoptsTheJobTableauQueued() throws {
        var machine = RunStateMachine(run: RunFixtures.run())
        try drive(&machine, [
            (.start, [.triggerRefresh]), (.outcomeUnknown(message: "connection dropped"), [RunFixtures.reconcile]),
            (.jobFound(jobId: "j1"), [.waitForJob(jobId: "j1")]), (.jobSucceeded, [.finish(.succeeded)]),
        ])
        #expect(machine.run.attempts.count == 1)
        #expect(machine.run.attempts[0].reconciled && machine.run.attempts[0].jobId == "j1" && machine.run.attempts[0].outcome == .succeeded)
        #expect(machine.run.attempts[0].startedAt == RunFixtures.now)
    }

    /// When reconciliation finds nothing, the lost call queued nothing: a new attempt triggers after the backoff.
    @Test func lostAnswerWithoutAJobTriggersAgain() throws {
        var machine = RunStateMachine(run: RunFixtures.run())
        try drive(&machine, [
            (.start, [.triggerRefresh]), (.outcomeUnknown(message: "HTTP 503"), [RunFixtures.reconcile]),
            (.noJobFound(message: "Tableau has no job for it"), [.scheduleRetry(after: 1)]), (.retryDue, [.triggerRefresh]),
            (.jobQueued(jobId: "j2"), [.waitForJob(jobId: "j2")]),
        ])
        #expect(machine.run.attempts.map(\.outcome) == [.transientFailure(message: "HTTP 503; Tableau has no job for it"), .pending])
    }

    /// A reconciliation that is still due survives a restart and a retry timer: nothing triggers until it answers.
    @Test func unknownOutcomeIsReconciledBeforeAnythingElse() throws {
        var machine = RunStateMachine(run: RunFixtures.run())
        try drive(&machine, [
            (.start, [.triggerRefresh]), (.outcomeUnknown(message: "timed out"), [RunFixtures.reconcile]),
            (.resume, [RunFixtures.reconcile]), (.retryDue, [RunFixtures.reconcile]),
        ])
        #expect(machine.needsReconciliation)
        #expect(throws: RunTransitionError.self) { try machine.handle(.jobQueued(jobId: "j9")) }
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
        case .triggeringInFlight, .triggeringInFlightCancelRequested:
            // The call may have queued a job: look for it before anything else.
            #expect(actions == [RunFixtures.reconcile])
            #expect(restarted.run.attempts.map(\.outcome) == [.unknown(message: "Freshet stopped while the trigger call was in flight")])
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
