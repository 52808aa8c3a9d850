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
            let job = try await client.refresh(ContentType(item.contentType), id: item.tableauId)
            return TableauJob(id: job.id, createdAt: job.createdAt)
        } catch {
            throw GatewayError(error)
        }
    }

    func activeRefreshJob(for item: RunItem) async throws(GatewayError) -> TableauJob? {
        var options = ListOptions(pageSize: 100)
        options.filter("jobType", in: ["refresh_extracts", "increment_extracts"])
        if !item.name.contains(",") { options.filter("title", .eq, item.name) }
        options.sort("createdAt", ascending: false)
        do {
            let page = try await client.jobsPage(options)
            for candidate in page.items.filter({ !$0.isFinished }).prefix(20) {
                let job = try await client.job(candidate.id)
                if job.targetId == item.tableauId, !job.isFinished { return TableauJob(id: job.id, createdAt: job.createdAt) }
            }
            return nil
        } catch where error.status == 403 {
            return nil
        } catch {
            throw GatewayError(error)
        }
    }

    func waitForJob(_ jobId: String, createdAt: Date?, timeout: Duration) async throws(GatewayError) -> RefreshJobOutcome {
        do { return RefreshJobOutcome(try await client.waitForJob(jobId, createdAt: createdAt, timeout: timeout)) } catch {
            throw GatewayError(error)
        }
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
