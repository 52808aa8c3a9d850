/// What the health checks ask of Tableau (implemented over TableauClient outside the engine).
package protocol HealthCheckGateway: Sendable {
    /// Signs in (or reuses the shared session).
    func signIn() async throws(GatewayError)
    /// The content URL of the site the session is on ("" for the Default site).
    func currentSiteContentUrl() async throws(GatewayError) -> String
    /// Reads one page of content (workbooks and data sources), proving read access.
    func readContent() async throws(GatewayError)
    /// Lists site users; returns the total when Tableau reports it.
    func countUsers() async throws(GatewayError) -> Int?
}
