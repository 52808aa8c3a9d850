import Freshet
import TableauClient

/// Content browsing and the pass-through, over a ``TableauClient``.
struct ClientContentGateway: ContentGateway {
    let client: TableauClient

    func collections(pageNumber: Int, pageSize: Int) async throws(GatewayError) -> CollectionPage {
        do {
            let page = try await client.collections(pageNumber: pageNumber, pageSize: pageSize)
            return CollectionPage(
                collections: page.items.map { ContentCollectionInfo(id: $0.id, name: $0.name, description: $0.description, visibility: $0.visibility, totalItemCount: $0.totalItemCount) },
                paging: Paging(page.pagination)
            )
        } catch {
            throw GatewayError(error)
        }
    }

    func search(_ query: ContentSearchQuery) async throws(GatewayError) -> ContentSearchPage {
        do {
            let results = try await client.search(query.terms, types: query.types, page: query.page, limit: query.limit)
            return ContentSearchPage(
                hits: results.hits.map {
                    ContentSearchHit(type: $0.type, id: $0.luid, title: $0.title, projectName: $0.projectName, ownerName: $0.ownerName, hitsTotal: $0.hitsTotal)
                },
                pageIndex: results.pageIndex, limit: query.limit, total: results.total, hasNext: results.hasNext
            )
        } catch {
            throw GatewayError(error)
        }
    }

    func usageStats(_ type: UsageContentType, id: String) async throws(GatewayError) -> ContentUsage {
        do {
            let stats = try await client.usageStats(type == .workbook ? .workbook : .datasource, id: id)
            return ContentUsage(
                type: type, id: id, hitsTotal: stats.hitsTotal, hitsLastTwoWeeksTotal: stats.hitsLastTwoWeeksTotal,
                hitsLastOneMonthTotal: stats.hitsLastOneMonthTotal, hitsLastThreeMonthsTotal: stats.hitsLastThreeMonthsTotal,
                hitsLastTwelveMonthsTotal: stats.hitsLastTwelveMonthsTotal
            )
        } catch {
            throw GatewayError(error)
        }
    }

    func serverInfo() async throws(GatewayError) -> TableauServerInfo {
        do {
            let info = try await client.serverInfo()
            return TableauServerInfo(productVersion: info.productVersion, build: info.build, restApiVersion: info.restApiVersion)
        } catch {
            throw GatewayError(error)
        }
    }

    func currentSession() async throws(GatewayError) -> TableauSessionInfo {
        do {
            let session = try await client.currentSession()
            return TableauSessionInfo(
                siteId: session.siteId, siteName: session.siteName, siteContentUrl: session.siteContentUrl, userId: session.userId,
                userName: session.userName, siteRole: session.siteRole
            )
        } catch {
            throw GatewayError(error)
        }
    }

    func send(_ request: PassThroughRequest) async throws(GatewayError) -> PassThroughResponse {
        do {
            let response = try await client.raw(
                method: request.method, path: request.path, query: request.query.map { ($0.name, $0.value) }, body: request.body,
                contentType: request.contentType
            )
            let contentType = response.headers.first { $0.0.lowercased() == "content-type" }?.1
            return PassThroughResponse(status: response.status, contentType: contentType, body: response.body)
        } catch {
            throw GatewayError(error)
        }
    }
}
