import Foundation

/// Tableau's data quality warnings as Freshet uses them: on published data sources only.
package protocol WarningGateway: Sendable {
    /// Adds a warning (type STALE) with `message` to data source `datasourceId`; returns its id.
    func addWarning(datasourceId: String, message: String) async throws(GatewayError) -> String
    /// Every warning on data source `datasourceId`: id and message.
    func warnings(datasourceId: String) async throws(GatewayError) -> [(id: String, message: String)]
    /// Deletes warning `id` (only that one); a warning already gone is not an error.
    func deleteWarning(id: String) async throws(GatewayError)
    /// The published data sources workbook `workbookId` uses.
    func publishedDataSources(ofWorkbook workbookId: String) async throws(GatewayError) -> [RunItem]
}
