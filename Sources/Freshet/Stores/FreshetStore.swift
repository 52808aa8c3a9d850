/// Every store the engine and the server use, as one type: what a backend (SQLite, PostgreSQL)
/// provides. The in-memory reference store splits access events into ``InMemoryAccessEventStore``.
package typealias FreshetStore = ConnectionStore & SessionStore & AuditStore & RunStore & TokenStore & AccessEventStore & CredentialLifetimeStore
    & FreshnessStore & AlertStore & PipelineEventStore & QualityWarningStore
