package import Freshet

extension FreshetRuntime {
    /// API tokens on this runtime's database (hashes only), audited in its audit log.
    package var tokens: TokenService {
        TokenService(store: store, audit: store)
    }
}
