import Foundation

/// The Tableau item a dbt exposure's `url` points at: a workbook or data source named by its
/// Tableau id in a `…/workbooks/<id>` or `…/datasources/<id>` segment pair, in the URL's path or
/// its `#` fragment (`https://tableau.example.com/#/site/sales/workbooks/<id>/views`), or a
/// `tableau://HOST/SITE/workbooks/<id>` asset URI. The host and site are not checked: the item is
/// looked up on the connection's site by id.
package enum DbtTableauURL {
    /// The refresh target, or nil when the URL names no Tableau item by id.
    package static func target(_ url: String) -> RefreshTarget? {
        let segments = url.split(whereSeparator: { "/#?&".contains($0) }).map(String.init)
        for (index, segment) in segments.enumerated().dropLast() {
            let next = segments[index + 1]
            guard RefreshTarget.isTableauId(next) else { continue }
            switch segment.lowercased() {
            case "workbooks", "workbook": return .workbook(next)
            case "datasources", "datasource": return .datasource(next)
            default: continue
            }
        }
        return nil
    }
}
