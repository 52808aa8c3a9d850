package import Foundation

/// What refresh runs ask of Tableau on one connection (implemented over TableauClient outside
/// the engine). One gateway per connection and process, so that waiting on many jobs shares
/// one polling loop.
package protocol RefreshGateway: Sendable {
    /// The workbook or data source with Tableau id `id`; nil when Tableau has none (404).
    func item(_ type: RunItem.ContentType, id: String) async throws(GatewayError) -> RefreshableItem?
    /// Workbooks or data sources named exactly `name`, in `project` when given.
    func items(_ type: RunItem.ContentType, named name: String, inProject project: String?) async throws(GatewayError) -> [RefreshableItem]
    /// Every workbook or data source of the site (paged), to resolve many names at once.
    func allItems(_ type: RunItem.ContentType) async throws(GatewayError) -> [RefreshableItem]
    /// Up to `limit` workbooks or data sources of the site (to say what exists when a name matches nothing).
    func items(_ type: RunItem.ContentType, limit: Int) async throws(GatewayError) -> [RefreshableItem]
    /// Every workbook and data source in the project named `project` (none when there is no such project).
    func items(inProject project: String) async throws(GatewayError) -> [RefreshableItem]
    /// Whether a project named `project` exists.
    func projectExists(_ project: String) async throws(GatewayError) -> Bool
    /// Published data sources and workbooks that read `table`, from the Metadata API lineage.
    func downstream(of table: TableName) async throws(GatewayError) -> [RefreshableItem]
    /// "Refresh now"; returns Tableau's job. Sent once, never retried by the gateway: a refresh
    /// already queued for the item throws a ``GatewayError`` with code 409093; a call whose answer
    /// was lost (dropped connection, timeout, 5xx) throws one with ``GatewayError/outcomeUnknown``.
    func triggerRefresh(_ item: RunItem) async throws(GatewayError) -> TableauJob
    /// The queued or running refresh job of `item` someone else started, when Tableau lets this
    /// account find it (Query Jobs); nil otherwise.
    func activeRefreshJob(for item: RunItem) async throws(GatewayError) -> TableauJob?
    /// The earliest refresh job of `item` that Tableau created at or after `since`, in any state,
    /// confirmed by the job's item id; nil when there is none. Throws a forbidden (403)
    /// ``GatewayError`` when this account may not query jobs.
    func refreshJob(for item: RunItem, createdSince since: Date) async throws(GatewayError) -> TableauJob?
    /// The outcomes of those of `jobs` that have ended (one batched Query Jobs call per page
    /// where the account may, else one call per job); jobs still running are left out. Each comes
    /// with how long Tableau took, when its answer said (polling learns items' durations from it).
    func endedJobs(_ jobs: [TableauJob]) async throws(GatewayError) -> [String: EndedRefreshJob]
    /// Job `jobId`'s outcome now, or nil while it runs.
    func jobOutcome(_ jobId: String) async throws(GatewayError) -> RefreshJobOutcome?
    /// Asks Tableau to cancel job `jobId`.
    func cancelJob(_ jobId: String) async throws(GatewayError)
    /// Signs out of the connection's Tableau session (at shutdown).
    func signOut() async
}

/// A workbook or data source as target resolution sees it.
package struct RefreshableItem: Sendable, Equatable, Hashable {
    /// The item.
    package var item: RunItem
    /// Its project's name, when Tableau said.
    package var projectName: String?
    /// Whether it has an extract to refresh (false: a live connection).
    package var hasExtracts: Bool
    /// Whether only the id is known: the item was named by id and not looked up at Tableau, so
    /// its name is the id and its project and extracts are unknown (Tableau refuses the refresh
    /// of a live item with its own message).
    package var detailsUnknown: Bool

    /// An item in `projectName`, with or without extracts.
    package init(item: RunItem, projectName: String?, hasExtracts: Bool, detailsUnknown: Bool = false) {
        self.item = item
        self.projectName = projectName
        self.hasExtracts = hasExtracts
        self.detailsUnknown = detailsUnknown
    }
}

/// A Tableau job as the trigger call or Query Jobs returned it.
package struct TableauJob: Sendable, Equatable {
    /// The job's id.
    package var id: String
    /// When Tableau created it.
    package var createdAt: Date?
    /// The refreshed item's name, when Tableau's answer carried it.
    package var itemName: String?

    /// Job `id` created at `createdAt`, refreshing the item named `itemName`.
    package init(id: String, createdAt: Date?, itemName: String? = nil) {
        self.id = id
        self.createdAt = createdAt
        self.itemName = itemName
    }
}

/// How a refresh job ended.
package enum RefreshJobOutcome: Sendable, Equatable {
    /// Tableau reported success.
    case succeeded
    /// Tableau reported failure, in its own words.
    case failed(notes: String?)
    /// The job was cancelled.
    case cancelled
    /// The wait's timeout passed first.
    case timedOut
}

/// A refresh job that has ended.
package struct EndedRefreshJob: Sendable, Equatable {
    /// How it ended.
    package var outcome: RefreshJobOutcome
    /// Seconds from Tableau creating (queuing) the job to its end, by Tableau's own times (whole
    /// seconds), when Tableau gave them.
    package var seconds: Double?

    /// A job that ended with `outcome` after `seconds`.
    package init(_ outcome: RefreshJobOutcome, seconds: Double? = nil) {
        self.outcome = outcome
        self.seconds = seconds
    }
}

/// A database table named `database.schema.table`.
package struct TableName: Sendable, Equatable, Hashable, CustomStringConvertible {
    package var database: String
    package var schema: String
    package var table: String

    /// Parses `database.schema.table` (three non-empty parts). Split on the code point `.`, not
    /// on characters: a `.` followed by a combining mark is one Character but still a separator.
    package init?(_ text: String) {
        let parts = text.unicodeScalars.split(separator: ".", omittingEmptySubsequences: false)
            .map { String(String.UnicodeScalarView($0)).trimmingCharacters(in: .whitespaces) }
        guard parts.count == 3, parts.allSatisfy({ !$0.isEmpty }) else { return nil }
        (database, schema, table) = (parts[0], parts[1], parts[2])
    }

    /// `database.schema.table`.
    package var description: String { "\(database).\(schema).\(table)" }
}
