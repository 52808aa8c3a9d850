import Foundation
import Freshet

/// Shows runs while they are waited on: a redrawn status line on a terminal, plain lines (one
/// per change) otherwise. Written to standard error, so standard output stays clean for `--json`.
final class RunProgress: @unchecked Sendable {
    private let lock = NSLock()
    private var runs: [String: Run] = [:]
    private var order: [String] = []
    private let interactive: Bool
    private let started = Date()
    private var ticker: Task<Void, Never>?
    private static let spinner = Array("⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏")
    private var frame = 0

    /// Progress for `runs`; `interactive` (a terminal on standard error) redraws one line.
    init(runs: [Run], interactive: Bool = isatty(STDERR_FILENO) == 1) {
        self.interactive = interactive
        for run in runs {
            self.runs[run.id] = run
            order.append(run.id)
        }
    }

    /// Starts redrawing (on a terminal).
    func start() {
        guard interactive else { return }
        ticker = Task { [weak self] in
            while !Task.isCancelled {
                self?.redraw()
                try? await Task.sleep(for: .milliseconds(120))
            }
        }
    }

    /// Records a run seen in a new state.
    func update(_ run: Run) {
        let previous: Run? = lock.withLock {
            let previous = runs[run.id]
            runs[run.id] = run
            if previous == nil { order.append(run.id) }
            return previous
        }
        guard !interactive, previous?.state != run.state || previous?.jobId != run.jobId || previous?.attempts.count != run.attempts.count
        else { return }
        FileHandle.standardError.write(Data((Self.timestamp() + "  " + Self.describe(run) + "\n").utf8))
    }

    /// Stops redrawing and clears the status line.
    func stop() {
        ticker?.cancel()
        ticker = nil
        if interactive { FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8)) }
    }

    private func redraw() {
        let line: String = lock.withLock {
            frame += 1
            let all = order.compactMap { runs[$0] }
            let done = all.filter(\.state.isTerminal).count
            let elapsed = Int(Date().timeIntervalSince(started))
            let active = all.filter { !$0.state.isTerminal }.prefix(3).map { "\($0.item.name): \(Self.stateWords($0))" }
            return "\(Self.spinner[frame % Self.spinner.count]) \(done)/\(all.count) done · \(elapsed)s"
                + (active.isEmpty ? "" : " · " + active.joined(separator: " · "))
        }
        let width = 120
        FileHandle.standardError.write(Data(("\r\u{1B}[2K" + String(line.prefix(width))).utf8))
    }

    static func timestamp() -> String {
        Date().ISO8601Format(.iso8601.time(includingFractionalSeconds: false))
    }

    /// "Sales (data source): waiting for Tableau job 1f2e…".
    static func describe(_ run: Run) -> String {
        "\(run.item.name) (\(run.item.contentType.noun)): \(stateWords(run))"
    }

    static func stateWords(_ run: Run) -> String {
        switch run.state {
        case .accepted: return "accepted"
        case .triggering:
            if case .transientFailure(let message)? = run.attempts.last?.outcome { return "retrying after: \(message)" }
            if case .held(let until, let reason)? = run.attempts.last?.outcome {
                return "held by Tableau until \(until.ISO8601Format(.iso8601.time(includingFractionalSeconds: false))) (\(reason))"
            }
            if run.attempts.contains(where: { if case .failed = $0.outcome { true } else { false } }) { return "retrying the failed refresh" }
            return "asking Tableau to refresh"
        case .waiting:
            let joined = run.attempts.last?.joinedExisting == true ? " (joined a refresh already queued)" : ""
            let expected = run.estimatedFinish.map { " (expected to finish about \($0.ISO8601Format(.iso8601.time(includingFractionalSeconds: false))))" } ?? ""
            return "waiting for Tableau job \(run.jobId ?? "?")\(joined)\(expected)"
        case .succeeded: return "succeeded"
        case .failed: return "FAILED" + (run.notes.map { ": \($0)" } ?? "")
        case .cancelled: return "cancelled"
        case .timedOut: return "TIMED OUT (its Tableau job was cancelled)"
        }
    }
}
