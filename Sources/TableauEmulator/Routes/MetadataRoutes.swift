import Foundation
import HTTPTypes

/// The Metadata API endpoint (`POST /api/metadata/graphql`).
extension Routes {
    func metadata(_ call: Call) async throws(EmulatorError) -> Reply {
        guard call.method == .post else { throw .methodNotAllowed(call.method.rawValue, call.path) }
        let (site, refreshed) = try state.withWorld { world, now throws(EmulatorError) in
            let session = try authenticate(call, in: &world, now: now)
            guard session.allows("tableau:content:read") else {
                throw .forbidden("The connected app token does not grant the scope 'tableau:content:read' this method requires.", code: "403004")
            }
            guard let site = world.sites.first(where: { $0.id == session.siteId }) else { throw .invalidCredentials }
            // Last successful full and incremental extract refresh per item.
            var times = ExtractTimes()
            for job in world.jobs.values where job.siteId == site.id && job.finishCode == 0 {
                guard let completed = job.completedAt, completed <= now else { continue }
                times.record(job.itemId, at: completed, incremental: job.incremental)
            }
            return (site, times)
        }
        return await MetadataGraph(site: site, extractTimes: refreshed).answer(call.body)
    }
}

/// When items' extracts were last refreshed successfully, by item id.
struct ExtractTimes: Sendable {
    var full: [String: Date] = [:]
    var incremental: [String: Date] = [:]

    mutating func record(_ itemId: String, at time: Date, incremental isIncremental: Bool) {
        if isIncremental {
            incremental[itemId] = max(incremental[itemId] ?? time, time)
        } else {
            full[itemId] = max(full[itemId] ?? time, time)
        }
    }

    /// The later of the last full and the last incremental refresh (`extractLastUpdateTime`).
    func lastUpdate(_ itemId: String) -> Date? {
        switch (full[itemId], incremental[itemId]) {
        case (let a?, let b?): max(a, b)
        case (let a?, nil): a
        case (nil, let b?): b
        default: nil
        }
    }
}
