package import Foundation

extension InMemoryStore: QualityWarningStore {
    package func warningConnections() -> Set<String> { warningConnectionIds }

    package func setWarnings(connectionId: String, enabled: Bool, actor: String, now: Date) {
        if enabled { warningConnectionIds.insert(connectionId) } else { warningConnectionIds.remove(connectionId) }
    }

    package func freshetWarnings(connectionId: String?) -> [FreshetWarning] {
        freshetWarningsByKey.values.filter { connectionId == nil || $0.connectionId == connectionId }
            .sorted { ($0.connectionId, $0.datasourceId) < ($1.connectionId, $1.datasourceId) }
    }

    package func saveFreshetWarning(_ warning: FreshetWarning) {
        freshetWarningsByKey[RunKey(connectionId: warning.connectionId, key: warning.datasourceId)] = warning
    }

    package func deleteFreshetWarning(connectionId: String, datasourceId: String) {
        freshetWarningsByKey[RunKey(connectionId: connectionId, key: datasourceId)] = nil
    }
}
