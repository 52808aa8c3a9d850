import Crypto
import Foundation

extension RefreshRequest {
    /// A digest of what the request asks for, so that an idempotency key stays bound to one
    /// request: the targets (as a set: order and repeats do not change what is refreshed), the
    /// timeout and the retry policy. The connection is the key's scope; how long the caller waits
    /// (`waitSeconds`) is not part of the request.
    package var fingerprint: String {
        let targets = Set(targets.map(\.canonical)).sorted()
        var text = "targets=" + targets.joined(separator: "\u{1F}")
        text += "\u{1E}timeout=" + (timeout.map { String(format: "%.3f", $0.seconds) } ?? "none")
        text += "\u{1E}attempts=\(retryPolicy.maxAttempts)\u{1E}delay=" + String(format: "%.3f", retryPolicy.delay)
        if skipsTablesWithoutLineage { text += "\u{1E}skipsTablesWithoutLineage" }
        return SHA256.hash(data: Data(text.utf8)).lowercaseHex
    }
}

extension RefreshTarget {
    /// One unambiguous line per target (names may hold any character, so parts are length-prefixed).
    var canonical: String {
        func part(_ text: String?) -> String { text.map { "\($0.utf8.count):\($0)" } ?? "-" }
        switch self {
        case .datasource(let name, let project): return "datasource " + part(project) + " " + part(name)
        case .workbook(let name, let project): return "workbook " + part(project) + " " + part(name)
        case .project(let name): return "project " + part(name)
        case .table(let table): return "table " + part(table.database) + " " + part(table.schema) + " " + part(table.table)
        }
    }
}
