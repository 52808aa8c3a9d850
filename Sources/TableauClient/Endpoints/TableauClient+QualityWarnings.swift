extension TableauClient {
    /// Adds a data quality warning to content (`datasource`, `table`, `database`, `flow`): `POST
    /// sites/{site}/dataQualityWarnings/{contentType}/{contentId}`.
    public func addQualityWarning(
        contentType: String = "datasource", contentId: String, type: String = "STALE", message: String, isSevere: Bool = false
    ) async throws(TableauError) -> QualityWarning {
        let body: [String: Any] = [
            "dataQualityWarning": ["type": type, "message": message, "isActive": "true", "isSevere": isSevere ? "true" : "false"]
        ]
        let json = try await sendJSON("POST", .site("dataQualityWarnings/\(contentType)/\(contentId)"), json: body)
        guard let warning = json["dataQualityWarning"].flatMap(QualityWarning.init(json:)) else {
            throw .invalidResponse("the answer carried no data quality warning")
        }
        return warning
    }

    /// The data quality warnings of content: `GET sites/{site}/dataQualityWarnings/{contentType}/{contentId}`.
    public func qualityWarnings(contentType: String = "datasource", contentId: String) async throws(TableauError) -> [QualityWarning] {
        try await sendJSON("GET", .site("dataQualityWarnings/\(contentType)/\(contentId)"))
            .list("dataQualityWarningList", "dataQualityWarning").compactMap(QualityWarning.init(json:))
    }

    /// Deletes one warning by its id (never the content's other warnings):
    /// `DELETE sites/{site}/dataQualityWarnings/{warningId}`.
    public func deleteQualityWarning(id: String) async throws(TableauError) {
        _ = try await send("DELETE", .site("dataQualityWarnings/\(id)"))
    }

    /// The published data sources a workbook uses (Metadata API `upstreamDatasources`).
    public func publishedDataSources(ofWorkbook id: String) async throws(TableauError) -> [LineageItem] {
        let query = """
            query sources($luid: String) {
              workbooks(filter: {luid: $luid}) { upstreamDatasources { luid name } }
            }
            """
        let data = try await metadataQuery(query, variables: ["luid": id])
        var items: [LineageItem] = []
        for workbook in data["workbooks"]?.elements ?? [] {
            for source in workbook["upstreamDatasources"]?.elements ?? [] {
                if let luid = source["luid"]?.string, !items.contains(where: { $0.id == luid }) {
                    items.append(LineageItem(id: luid, name: source["name"]?.string ?? ""))
                }
            }
        }
        return items
    }
}
