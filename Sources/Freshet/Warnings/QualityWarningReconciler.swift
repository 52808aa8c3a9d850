import Foundation
package import Logging

/// Keeps Tableau's data quality warnings in step with freshness, on connections that opted in:
/// a data source whose refresh failed, or that a failed pipeline feeds, carries exactly one
/// STALE warning set by Freshet ("Stale data: the refresh failed at 06:12 UTC — <reason>"), and
/// loses it when the cause clears. A stale workbook warns the published data sources it uses
/// (workbooks cannot carry warnings).
///
/// It converges: each pass compares what should be warned with the warnings Freshet recorded,
/// so a crash between a Tableau call and its record is repaired by the next pass — an intent
/// recorded before the add call is matched by its exact message among the data source's
/// warnings. Warnings Freshet did not record are never read for deletion, let alone deleted.
package struct QualityWarningReconciler: Sendable {
    let store: any QualityWarningStore & FreshnessStore
    let connections: any ConnectionStore
    let gateways: @Sendable (Connection) async throws -> any WarningGateway
    let clock: any RunClock
    let logger: Logger

    package init(
        store: any QualityWarningStore & FreshnessStore, connections: any ConnectionStore,
        gateways: @escaping @Sendable (Connection) async throws -> any WarningGateway, clock: any RunClock = SystemRunClock(),
        logger: Logger = Logger(label: "freshet.warnings", factory: { _ in SwiftLogNoOpLogHandler() })
    ) {
        self.store = store
        self.connections = connections
        self.gateways = gateways
        self.clock = clock
        self.logger = logger
    }

    /// What one pass changed.
    package struct Pass: Sendable, Equatable {
        package var added: [String] = []
        package var removed: [String] = []
        package var failures: [String] = []
    }

    /// One pass over every opted-in connection (connections turned off lose Freshet's warnings).
    @discardableResult
    package func reconcile() async throws -> Pass {
        var pass = Pass()
        let enabled = try await store.warningConnections()
        let recordedConnections = Set(try await store.freshetWarnings(connectionId: nil).map(\.connectionId))
        for connectionId in enabled.union(recordedConnections).sorted() {
            guard let connection = try await connections.connection(id: connectionId)?.connection else { continue }
            do {
                try await reconcile(connection, enabled: enabled.contains(connectionId), into: &pass)
            } catch {
                pass.failures.append("\(connection.name): \(error)")
                logger.warning("could not reconcile data quality warnings", metadata: ["connection": "\(connection.name)", "error": "\(error)"])
            }
        }
        return pass
    }

    /// The warning each data source should carry: its id → (name, message, cause).
    func desired(_ connection: Connection, gateway: any WarningGateway) async throws -> [String: (name: String, message: String, cause: String)] {
        var wanted: [String: (name: String, message: String, cause: String)] = [:]
        for record in try await store.freshness(FreshnessQuery(connectionId: connection.id)).sorted(by: { $0.updatedAt < $1.updatedAt }) {
            guard let (message, cause) = Self.warning(for: record) else { continue }
            let sources: [RunItem] =
                record.item.contentType == .datasource
                ? [record.item] : try await gateway.publishedDataSources(ofWorkbook: record.item.tableauId)
            for source in sources where wanted[source.tableauId] == nil { wanted[source.tableauId] = (source.name, message, cause) }
        }
        return wanted
    }

    /// The message and cause of the warning `record` calls for, or nil (fresh, or only too old).
    package static func warning(for record: ItemFreshness) -> (message: String, cause: String)? {
        if let pipeline = record.pipelineFailure {
            return (
                "Stale data: pipeline \(pipeline.pipeline) failed at \(time(pipeline.at))" + (pipeline.reason.map { " — \($0)" } ?? ""),
                "pipeline:\(pipeline.pipeline)"
            )
        }
        guard let failure = record.lastFailureAt, failure >= (record.lastSuccessAt ?? .distantPast) else { return nil }
        let reason = record.lastFailureReason.map { " — " + String($0.prefix(400)) } ?? ""
        return ("Stale data: the refresh of \(record.item.name) failed at \(time(failure))\(reason)", "refresh:\(record.item.contentType.rawValue):\(record.item.tableauId)")
    }

    static func time(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm 'UTC'"
        return formatter.string(from: date)
    }

    func reconcile(_ connection: Connection, enabled: Bool, into pass: inout Pass) async throws {
        let gateway = try await gateways(connection)
        let wanted = enabled ? try await desired(connection, gateway: gateway) : [:]
        let recorded = Dictionary(try await store.freshetWarnings(connectionId: connection.id).map { ($0.datasourceId, $0) }, uniquingKeysWith: { a, _ in a })
        for (datasourceId, want) in wanted.sorted(by: { $0.key < $1.key }) {
            if let existing = recorded[datasourceId], existing.warningId != nil { continue }
            var warning = recorded[datasourceId]
                ?? FreshetWarning(
                    connectionId: connection.id, datasourceId: datasourceId, datasourceName: want.name, warningId: nil, message: want.message, cause: want.cause,
                    createdAt: clock.now())
            if warning.warningId == nil, recorded[datasourceId] != nil {
                // An intent from a pass that died: adopt the warning if its add call went through.
                warning.warningId = try await gateway.warnings(datasourceId: datasourceId).first { $0.message == warning.message }?.id
            }
            if warning.warningId == nil {
                try await store.saveFreshetWarning(warning)  // the intent, before the call
                warning.warningId = try await gateway.addWarning(datasourceId: datasourceId, message: warning.message)
            }
            try await store.saveFreshetWarning(warning)
            pass.added.append(datasourceId)
        }
        for (datasourceId, warning) in recorded.sorted(by: { $0.key < $1.key }) where wanted[datasourceId] == nil {
            if let id = warning.warningId {
                try await gateway.deleteWarning(id: id)
            } else if let id = try await gateway.warnings(datasourceId: datasourceId).first(where: { $0.message == warning.message })?.id {
                try await gateway.deleteWarning(id: id)
            }
            try await store.deleteFreshetWarning(connectionId: connection.id, datasourceId: datasourceId)
            pass.removed.append(datasourceId)
        }
    }
}
