import ArgumentParser
import Foundation
import Freshet

/// The runs API's bodies as the CLI sends and reads them.
enum RemoteRuns {
    struct Target: Encodable {
        var datasource: String?
        var workbook: String?
        var project: String?
        var table: String?
    }

    struct Create: Encodable {
        var connection: String
        var targets: [Target]
        var idempotencyKey: String?
        var timeoutSeconds: Int?
        var attempts: Int
        var waitSeconds = 0
    }

    struct Answer: Decodable {
        var runs: [RunView]
        var liveItems: [LiveItemView]
    }

    struct Page: Decodable {
        var runs: [RunView]
    }

    /// Waits for `runs` over HTTP (long-polls of `GET /api/v1/runs/{id}`), showing the same
    /// progress and summary as a local wait; returns them as they stand.
    static func follow(_ runs: [Run], client: FreshetAPIClient, untilEnded: Bool, json: Bool, header: () -> Void) async throws -> [Run] {
        if !json { header() }
        guard !runs.isEmpty else { return runs }
        let progress = RunProgress(runs: runs)
        progress.start()
        let done: @Sendable (Run) -> Bool = { run in run.state.isTerminal || (!untilEnded && run.state == .waiting) }
        var current = runs
        while !current.allSatisfy(done) {
            // Long-polls end when the run ends; short ones so that intermediate states show too.
            let wait = untilEnded ? 2 : 0
            current = try await withThrowingTaskGroup(of: (Int, Run).self) { group in
                for (index, run) in current.enumerated() {
                    guard !done(run) else { continue }
                    group.addTask {
                        let path = "/api/v1/runs/\(FreshetAPIClient.segment(run.id))?waitSeconds=\(wait)"
                        return (index, Run(try await client.send(.GET, path, as: RunView.self).0))
                    }
                }
                var updated = current
                for try await (index, run) in group {
                    updated[index] = run
                    progress.update(run)
                }
                return updated
            }
            if !untilEnded, !current.allSatisfy(done) { try await Task.sleep(for: .milliseconds(250)) }
        }
        progress.stop()
        if !json { RunWaiting.printSummary(current, waited: untilEnded) }
        return current
    }
}

extension RunAttempt.Outcome {
    /// The outcome a ``RunView/Attempt`` shows.
    init(view: RunView.Attempt) {
        switch view.outcome {
        case "transientFailure": self = .transientFailure(message: view.message ?? "")
        case "interrupted": self = .interrupted
        case "unknown": self = .unknown(message: view.message ?? "")
        case "succeeded": self = .succeeded
        case "failed": self = .failed(notes: view.message)
        case "cancelled": self = .cancelled
        case "timedOut": self = .timedOut
        case "held": self = .held(until: view.heldUntil ?? .distantPast, reason: view.message ?? "")
        default: self = .pending
        }
    }
}

extension Run {
    /// The run a server's ``RunView`` shows (no lease or retry policy: the server keeps those).
    init(_ view: RunView) {
        self.init(
            id: view.id, connectionId: view.connectionId, target: view.target,
            item: RunItem(contentType: RunItem.ContentType(rawValue: view.itemType) ?? .datasource, tableauId: view.itemId, name: view.itemName),
            projectName: view.project, actor: view.actor, idempotencyKey: view.idempotencyKey, deadline: view.deadline, createdAt: view.createdAt)
        state = RunState(rawValue: view.state) ?? .accepted
        jobId = view.jobId
        notes = view.notes
        cancelRequested = view.cancelRequested
        updatedAt = view.updatedAt
        attempts = view.attempts.map { RunAttempt(
                number: $0.number, jobId: $0.jobId, joinedExisting: $0.joinedExisting, reconciled: $0.reconciled, startedAt: $0.startedAt,
                outcome: .init(view: $0), expectedEndAt: $0.expectedEndAt) }
    }
}
