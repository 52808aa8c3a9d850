import ArgumentParser
import Foundation
import Freshet

/// Following runs from the command line: progress, summaries and exit codes shared by
/// `freshet refresh` and `freshet runs`.
enum RunWaiting {
    /// Waits for `runs` to end (or, unless `untilEnded`, to reach Tableau), showing progress on
    /// standard error; returns them as they stand.
    static func follow(
        _ runs: [Run], engine: RefreshEngine, untilEnded: Bool, json: Bool, header: () -> Void
    ) async throws -> [Run] {
        if !json { header() }
        guard !runs.isEmpty else { return runs }
        let progress = RunProgress(runs: runs)
        progress.start()
        let done: @Sendable (Run) -> Bool
        if untilEnded {
            done = { run in run.state.isTerminal }
        } else {
            done = { run in run.state.isTerminal || run.state == .waiting }
        }
        let final = try await engine.wait(for: runs.map(\.id), until: done, onChange: { progress.update($0) })
        progress.stop()
        if !json { printSummary(final, waited: untilEnded) }
        return final
    }

    static func printAccepted(_ submission: RefreshSubmission, connection: String) {
        for creation in submission.runs {
            let how =
                switch creation.disposition {
                case .created: "new run"
                case .joinedActive: "joined the refresh already in progress"
                case .existingIdempotencyKey: "same idempotency key as an earlier request"
                }
            Output.line("run \(creation.run.id)  \(creation.run.item.contentType.noun) \"\(creation.run.item.name)\"  (\(how))")
        }
        for live in submission.liveItems {
            Output.line("skipped: \(live.item.contentType.noun) \"\(live.item.name)\" is a live connection: it has no extract to refresh")
        }
        if submission.runs.isEmpty { Output.line("Nothing to refresh on \(connection).") }
    }

    static func printSummary(_ runs: [Run], waited: Bool) {
        guard !runs.isEmpty else { return }
        Output.table(
            ["RUN", "ITEM", "STATE", "TABLEAU JOB", "NOTES"],
            runs.map { run in
                [run.id, "\(run.item.contentType.noun) \(run.item.name)", run.state.rawValue, run.jobId ?? "-", oneLine(run.notes ?? "")]
            })
        if !waited, runs.contains(where: { !$0.state.isTerminal }) {
            Output.line("Follow them with: freshet runs show <RUN> --wait")
        }
    }

    /// The exit status for `runs` (see `freshet refresh --help`).
    static func exitCode(_ runs: [Run], waited: Bool) -> Int32 {
        RunsOutcome(runs).rawValue
    }

    static func oneLine(_ text: String) -> String {
        let flat = text.replacingOccurrences(of: "\n", with: " ")
        return flat.count > 100 ? String(flat.prefix(99)) + "…" : flat
    }
}
