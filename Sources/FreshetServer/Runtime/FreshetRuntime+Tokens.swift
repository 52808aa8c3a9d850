public import Freshet

extension FreshetRuntime {
    /// API tokens on this runtime's database (hashes only), audited in its audit log.
    public var tokens: TokenService {
        TokenService(store: store, audit: store)
    }
}
