import ArgumentParser
import Foundation
import Freshet
import FreshetAPITypes
import NIOHTTP1

/// The runs API's bodies as the CLI sends and reads them: the types generated from
/// openapi.yaml (Sources/FreshetAPITypes), so the CLI cannot drift from the document.
enum RemoteRuns {
    typealias Target = Components.Schemas.RunTarget
    typealias Create = Components.Schemas.RunsCreate
    typealias Answer = Components.Schemas.RunsAnswer
    typealias Page = Components.Schemas.RunsPage
    /// One run as the API answers it.
    typealias Wire = Components.Schemas.Run

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
                        return (index, Run(try await client.send(.GET, path, as: Wire.self).0))
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
    /// The outcome an attempt of the API's run shows.
    init(wire: RemoteRuns.Wire.AttemptsPayloadPayload) {
        switch wire.outcome {
        case .transientFailure: self = .transientFailure(message: wire.message ?? "")
        case .interrupted: self = .interrupted
        case .unknown: self = .unknown(message: wire.message ?? "")
        case .succeeded: self = .succeeded
        case .failed: self = .failed(notes: wire.message)
        case .cancelled: self = .cancelled
        case .timedOut: self = .timedOut
        case .held: self = .held(until: wire.heldUntil ?? .distantPast, reason: wire.message ?? "")
        case .pending: self = .pending
        }
    }
}

extension Run {
    /// The run the API answered (no lease or retry policy: the server keeps those).
    init(_ wire: RemoteRuns.Wire) {
        self.init(
            id: wire.id, connectionId: wire.connectionId, target: wire.target,
            item: RunItem(contentType: RunItem.ContentType(rawValue: wire.itemType.rawValue) ?? .datasource, tableauId: wire.itemId, name: wire.itemName),
            projectName: wire.project, actor: wire.actor, idempotencyKey: wire.idempotencyKey, deadline: wire.deadline, createdAt: wire.createdAt)
        state = RunState(rawValue: wire.state.rawValue) ?? .accepted
        jobId = wire.jobId
        notes = wire.notes
        cancelRequested = wire.cancelRequested
        updatedAt = wire.updatedAt
        attempts = wire.attempts.map { RunAttempt(
                number: $0.number, jobId: $0.jobId, joinedExisting: $0.joinedExisting, reconciled: $0.reconciled, startedAt: $0.startedAt,
                outcome: .init(wire: $0), expectedEndAt: $0.expectedEndAt) }
    }
}

extension Components.Schemas.LiveItem {
    /// The item it describes (without extracts).
    var item: RefreshableItem {
        RefreshableItem(
            item: RunItem(contentType: RunItem.ContentType(rawValue: itemType.rawValue) ?? .datasource, tableauId: itemId, name: itemName),
            projectName: project, hasExtracts: false)
    }
}
