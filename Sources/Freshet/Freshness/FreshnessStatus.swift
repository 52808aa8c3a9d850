package import Foundation

/// One item's freshness evaluated at a time: its record, its age and whether it is stale, and why.
package struct FreshnessStatus: Sendable, Equatable {
    /// Why an item is stale.
    package enum Reason: String, Sendable, Equatable, Codable {
        /// Its last refresh failed (or timed out) after its last success.
        case refreshFailed
        /// It has never been refreshed successfully by Freshet.
        case neverSucceeded
        /// Its last success is older than its policy allows.
        case tooOld
        /// A pipeline upstream reported that its run failed (until it reports success).
        case pipelineFailed

        /// The reason in words ("last refresh failed"), as the CLI and the console show it.
        package var phrase: String {
            switch self {
            case .refreshFailed: "last refresh failed"
            case .neverSucceeded: "never refreshed"
            case .tooOld: "older than its policy"
            case .pipelineFailed: "pipeline failed"
            }
        }
    }

    package var record: ItemFreshness
    /// Seconds since the last successful refresh (nil: none).
    package var ageSeconds: Double?
    /// The policy that applies, if any.
    package var policy: FreshnessPolicy?
    /// Why the item is stale; nil when fresh.
    package var staleReason: Reason?

    /// Whether the item is stale.
    package var isStale: Bool { staleReason != nil }

    /// `record` evaluated at `now` under `policies`: stale when a pipeline upstream reported a
    /// failure, when its last refresh failed after its last success (or it never succeeded), or
    /// when its age exceeds the governing policy.
    package init(_ record: ItemFreshness, policies: [FreshnessPolicy], now: Date) {
        self.record = record
        policy = FreshnessPolicy.governing(record, in: policies)
        ageSeconds = record.lastSuccessAt.map { max(0, now.timeIntervalSince($0)) }
        if record.pipelineFailure != nil {
            staleReason = .pipelineFailed
        } else if let failure = record.lastFailureAt, failure >= (record.lastSuccessAt ?? .distantPast) {
            staleReason = record.lastSuccessAt == nil ? .neverSucceeded : .refreshFailed
        } else if record.lastSuccessAt == nil {
            staleReason = .neverSucceeded
        } else if let policy, let ageSeconds, ageSeconds > policy.maxAgeSeconds {
            staleReason = .tooOld
        } else {
            staleReason = nil
        }
    }
}
