import Foundation

/// Why Tableau refused or failed a refresh, named, with what to do about it — recognised in
/// Tableau's own words (its error codes, its job notes) so that a run ends with more than the raw text.
package enum TableauFailureReason: String, Sendable, Equatable, CaseIterable, Codable {
    /// Tableau killed the refresh at its time limit (Tableau Cloud: 2 hours).
    case timeLimit
    /// The item's extract refresh task or schedule is suspended.
    case suspended
    /// The item has no extract: it connects live.
    case liveConnection
    /// The item's embedded credentials (password, OAuth token) expired or were refused.
    case expiredCredentials
    /// The account may not refresh the item.
    case permissionDenied
    /// The site's daily refresh capacity is used up (a hold until it resets, not a failure).
    case quotaExhausted

    /// A short name for people.
    package var title: String {
        switch self {
        case .timeLimit: "Killed at Tableau's time limit for refreshes"
        case .suspended: "The item's refresh task is suspended"
        case .liveConnection: "Live connection: there is no extract to refresh"
        case .expiredCredentials: "The item's embedded credentials expired or were refused"
        case .permissionDenied: "Tableau refused: this account may not refresh the item"
        case .quotaExhausted: "The site's daily refresh capacity is used up"
        }
    }

    /// What to do about it.
    package var hint: String {
        switch self {
        case .timeLimit:
            "Make the extract smaller (hide unused fields, filter rows) or incremental, or refresh it through Tableau Bridge; Tableau Cloud stops every refresh after 2 hours."
        case .suspended:
            "Resume the task in Tableau (Tasks > Extract Refreshes > Actions > Resume); Tableau suspends refreshes of unused content and after repeated failures."
        case .liveConnection:
            "Nothing to refresh: remove the item from the request (or the pipeline's targets), or publish it with an extract."
        case .expiredCredentials:
            "Edit the item's connection in Tableau and embed fresh credentials (or re-authorise its OAuth connection), then run again."
        case .permissionDenied:
            "Give the connection's Tableau user the right to refresh the item (owner, project leader or site administrator), or use another connection."
        case .quotaExhausted:
            "Freshet holds the site's refreshes until the capacity resets (00:00 UTC); add Creator licences or refresh less to avoid it."
        }
    }

    /// The reason Tableau's `text` (a job's notes or an error message, with its HTTP status and
    /// error code when known) names, or nil.
    package static func recognise(_ text: String, status: Int? = nil, code: String? = nil) -> TableauFailureReason? {
        let lower = text.lowercased()
        func has(_ words: String...) -> Bool { words.contains { lower.contains($0) } }
        if has("non-interactive quota", "refresh capacity", "quota remaining", "quota exceeded", "quota has been reached") { return .quotaExhausted }
        if has("query time resource limit", "tableaucancelexception", "time limit for extract refresh", "exceeded the time limit") {
            return .timeLimit
        }
        if code == "409090" || code == "403180" || has("live connection", "is not an extract", "has no extract", "extract operation for the") {
            return .liveConnection
        }
        if has("suspended") { return .suspended }
        if has("embedded credential", "oauth", "credentials have expired", "credentials expired", "authentication failed", "invalid username or password", "password") {
            return .expiredCredentials
        }
        if status == 403 || code?.hasPrefix("403") == true || has("permission", "not authorized", "access denied") { return .permissionDenied }
        return nil
    }

    /// The reason named at the start of notes written by ``explain(_:status:code:)``, or nil.
    package static func named(in notes: String?) -> TableauFailureReason? {
        guard let notes else { return nil }
        return allCases.first { notes.hasPrefix($0.title + ".") }
    }

    /// `text` with the reason it names and the hint put first ("<title>. <hint> Tableau said:
    /// <text>"); `text` unchanged when it names none.
    package static func explain(_ text: String, status: Int? = nil, code: String? = nil) -> String {
        guard let reason = recognise(text, status: status, code: code) else { return text }
        return "\(reason.title). \(reason.hint) Tableau said: \(text)"
    }
}
