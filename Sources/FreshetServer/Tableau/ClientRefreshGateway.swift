import Foundation
import Freshet
import TableauClient

/// Refresh runs' view of Tableau, over one ``TableauClient`` per connection.
struct ClientRefreshGateway: RefreshGateway {
    let client: TableauClient

    func item(_ type: RunItem.ContentType, id: String) async throws(GatewayError) -> RefreshableItem? {
        do {
            return Self.refreshable(try await client.item(ContentType(type), id: id))
        } catch where error.status == 404 {
            return nil
        } catch {
            throw GatewayError(error)
        }
    }

    func items(_ type: RunItem.ContentType, named name: String, inProject project: String?) async throws(GatewayError) -> [RefreshableItem] {
        do { return try await client.items(ContentType(type), named: name, inProject: project).map(Self.refreshable) } catch {
            throw GatewayError(error)
        }
    }

    func allItems(_ type: RunItem.ContentType) async throws(GatewayError) -> [RefreshableItem] {
        do { return try await client.content(ContentType(type), ListOptions(pageSize: 1000)).collect().map(Self.refreshable) } catch {
            throw GatewayError(error)
        }
    }

    func items(_ type: RunItem.ContentType, limit: Int) async throws(GatewayError) -> [RefreshableItem] {
        do { return try await client.contentPage(ContentType(type), ListOptions(pageSize: limit)).items.map(Self.refreshable) } catch {
            throw GatewayError(error)
        }
    }

    func items(inProject project: String) async throws(GatewayError) -> [RefreshableItem] {
        var options = ListOptions(pageSize: 1000)
        options.filter(.projectName, .eq, project)
        do {
            let sources = try await client.dataSources(options).collect()
            let workbooks = try await client.workbooks(options).collect()
            return (sources + workbooks).map(Self.refreshable)
        } catch {
            throw GatewayError(error)
        }
    }

    func projectExists(_ project: String) async throws(GatewayError) -> Bool {
        var options = ListOptions(pageSize: 1)
        options.filter(.name, .eq, project)
        do { return try await !client.projects(options).collect().isEmpty } catch { throw GatewayError(error) }
    }

    func downstream(of table: TableName) async throws(GatewayError) -> [RefreshableItem] {
        do {
            let lineage = try await client.downstreamOfTable(database: table.database, schema: table.schema, table: table.table)
            var found: [RefreshableItem] = []
            for (type, items) in [(ContentType.datasource, lineage.dataSources), (.workbook, lineage.workbooks)] {
                for item in items {
                    do {
                        found.append(Self.refreshable(try await client.item(type, id: item.id)))
                    } catch where error.status == 404 || error.status == 403 {
                        continue  // lineage can name items this account cannot see
                    }
                }
            }
            return found
        } catch {
            throw GatewayError(error)
        }
    }

    func triggerRefresh(_ item: RunItem) async throws(GatewayError) -> TableauJob {
        do {
            let job = try await client.refresh(ContentType(item.contentType), id: item.tableauId, retryTransient: false)
            return TableauJob(id: job.id, createdAt: job.createdAt, itemName: job.targetName)
        } catch {
            var failure = GatewayError(error)
            failure.outcomeUnknown = Self.mayHaveReachedTableau(error)
            throw failure
        }
    }

    /// Whether a refresh call that failed with `error` may still have queued a job: no answer
    /// came (other than a refused connection), the call timed out, or Tableau answered 5xx.
    static func mayHaveReachedTableau(_ error: TableauError) -> Bool {
        switch error.kind {
        case .timedOut, .cancelled: return true
        case .unreachable: return !error.description.lowercased().contains("refused")
        case .tableau, .notTableau: return (500...599).contains(error.status ?? 0)
        default: return false
        }
    }

    func activeRefreshJob(for item: RunItem) async throws(GatewayError) -> TableauJob? {
        try await refreshJobs(of: item, createdSince: nil) { !$0.isFinished }
    }

    func refreshJob(for item: RunItem, createdSince since: Date) async throws(GatewayError) -> TableauJob? {
        do {
            return try await refreshJobs(of: item, createdSince: since) { _ in true }
        } catch where error.isForbidden {
            throw error
        }
    }

    /// The newest (or, with `since`, the earliest since then) refresh job of `item` that
    /// `accept`s, found with Query Jobs and confirmed by Get Job's item id; nil when there is none
    /// or (without `since`) when this account may not query jobs.
    private func refreshJobs(of item: RunItem, createdSince since: Date?, accept: (Job) -> Bool) async throws(GatewayError) -> TableauJob? {
        var options = ListOptions(pageSize: 100)
        options.filter("jobType", in: ["refresh_extracts", "increment_extracts"])
        // A run known only by its id has the id as its name: titles cannot narrow the search then.
        if item.name != item.tableauId, ListOptions.canFilter(on: item.name) { options.filter("title", .eq, item.name) }
        if let since { options.filter("createdAt", .gte, since) }
        options.sort("createdAt", ascending: since != nil)
        do {
            let page = try await client.jobsPage(options)
            let candidates = page.items.filter { since != nil || !$0.isFinished }.prefix(20)
            for candidate in candidates {
                let job = try await client.job(candidate.id)
                if job.targetId == item.tableauId, accept(job) { return TableauJob(id: job.id, createdAt: job.createdAt ?? candidate.createdAt) }
            }
            return nil
        } catch where error.status == 403 && since == nil {
            return nil
        } catch {
            throw GatewayError(error)
        }
    }

    func endedJobs(_ jobs: [TableauJob]) async throws(GatewayError) -> [String: EndedRefreshJob] {
        do {
            return try await client.endedJobs(jobs.map { ($0.id, $0.createdAt) }).mapValues { ended in
                let seconds = ended.completedAt.flatMap { end in ended.createdAt.map { end.timeIntervalSince($0) } }
                return EndedRefreshJob(RefreshJobOutcome(ended.outcome), seconds: seconds.map { max(0, $0) })
            }
        } catch {
            throw GatewayError(error)
        }
    }

    func signOut() async {
        try? await client.signOut()
    }

    func jobOutcome(_ jobId: String) async throws(GatewayError) -> RefreshJobOutcome? {
        do { return try await client.job(jobId).outcome.map(RefreshJobOutcome.init) } catch { throw GatewayError(error) }
    }

    func cancelJob(_ jobId: String) async throws(GatewayError) {
        do { try await client.cancelJob(jobId) } catch { throw GatewayError(error) }
    }

    private static func refreshable(_ item: ContentItem) -> RefreshableItem {
        RefreshableItem(
            item: RunItem(contentType: item.type == .workbook ? .workbook : .datasource, tableauId: item.id, name: item.name),
            projectName: item.projectName, hasExtracts: item.hasExtracts)
    }
}

extension ContentType {
    init(_ type: RunItem.ContentType) {
        self = type == .workbook ? .workbook : .datasource
    }
}

extension RefreshJobOutcome {
    init(_ outcome: JobOutcome) {
        switch outcome {
        case .succeeded: self = .succeeded
        case .failed(let notes): self = .failed(notes: notes.isEmpty ? nil : notes)
        case .cancelled: self = .cancelled
        case .timedOut: self = .timedOut
        }
    }
}

extension ClientRefreshGateway: WarningGateway {
    func addWarning(datasourceId: String, message: String) async throws(GatewayError) -> String {
        do { return try await client.addQualityWarning(contentId: datasourceId, message: message).id } catch { throw GatewayError(error) }
    }

    func warnings(datasourceId: String) async throws(GatewayError) -> [(id: String, message: String)] {
        do { return try await client.qualityWarnings(contentId: datasourceId).map { ($0.id, $0.message) } } catch where error.status == 404 {
            return []
        } catch {
            throw GatewayError(error)
        }
    }

    func deleteWarning(id: String) async throws(GatewayError) {
        do { try await client.deleteQualityWarning(id: id) } catch where error.status == 404 {
            return
        } catch {
            throw GatewayError(error)
        }
    }

    func publishedDataSources(ofWorkbook workbookId: String) async throws(GatewayError) -> [RunItem] {
        do {
            return try await client.publishedDataSources(ofWorkbook: workbookId).map { RunItem(contentType: .datasource, tableauId: $0.id, name: $0.name) }
        } catch {
            throw GatewayError(error)
        }
    }
}
