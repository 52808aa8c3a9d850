/// What content browsing and the pass-through ask of Tableau (implemented over TableauClient
/// outside the engine). Every call uses the connection's shared session.
package protocol ContentGateway: Sendable {
    /// One page of the site's collections (versionless API).
    func collections(pageNumber: Int, pageSize: Int) async throws(GatewayError) -> CollectionPage
    /// One page of content search (versionless API, 0-based pages).
    func search(_ query: ContentSearchQuery) async throws(GatewayError) -> ContentSearchPage
    /// Usage counters of one workbook or data source.
    func usageStats(_ type: UsageContentType, id: String) async throws(GatewayError) -> ContentUsage
    /// Product and REST API versions (no sign-in needed).
    func serverInfo() async throws(GatewayError) -> TableauServerInfo
    /// Who and where the connection's session is.
    func currentSession() async throws(GatewayError) -> TableauSessionInfo
    /// Sends a validated pass-through request through the session and returns Tableau's answer.
    func send(_ request: PassThroughRequest) async throws(GatewayError) -> PassThroughResponse
}
