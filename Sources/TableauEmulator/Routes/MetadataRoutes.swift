import Foundation

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
            // Last successful extract refresh per item, for `extractLastRefreshTime`.
            var refreshed: [String: Date] = [:]
            for job in world.jobs.values where job.siteId == site.id && job.finishCode == 0 {
                guard let completed = job.completedAt, completed <= now else { continue }
                refreshed[job.itemId] = max(refreshed[job.itemId] ?? completed, completed)
            }
            return (site, refreshed)
        }
        return await MetadataGraph(site: site, extractRefreshTimes: refreshed).answer(call.body)
    }
}
