/// The Metadata API endpoint (`POST /api/metadata/graphql`).
extension Routes {
    func metadata(_ call: Call) throws(EmulatorError) -> Reply {
        guard call.method == .post else { throw .methodNotAllowed(call.method.rawValue, call.path) }
        let site = try state.withWorld { world, now throws(EmulatorError) in
            let session = try authenticate(call, in: &world, now: now)
            guard session.allows("tableau:content:read") else {
                throw .forbidden("The connected app token does not grant the scope 'tableau:content:read' this method requires.", code: "403004")
            }
            guard let site = world.sites.first(where: { $0.id == session.siteId }) else { throw .invalidCredentials }
            return site
        }
        return MetadataGraph(site: site).answer(call.body)
    }
}
