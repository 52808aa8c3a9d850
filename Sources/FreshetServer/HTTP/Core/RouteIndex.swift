import Synchronization

/// The routes a router serves (method and `{parameter}` path), filled once the router is built;
/// tells a 405 (path known, method not) from a 404.
package final class RouteIndex: Sendable {
    private let routes = Mutex<[(method: String, path: String)]>([])

    package init() {}

    /// Records the router's routes.
    package func set(_ routes: [(method: String, path: String)]) {
        self.routes.withLock { $0 = routes }
    }

    /// The methods served on the route pattern matching `path`, sorted.
    package func methods(matching path: String) -> [String] {
        let segments = path.split(separator: "/", omittingEmptySubsequences: true)
        let known = routes.withLock { $0 }
        return Set(known.filter { Self.matches($0.path, segments) }.map(\.method)).sorted()
    }

    static func matches(_ pattern: String, _ segments: [Substring]) -> Bool {
        let parts = pattern.split(separator: "/", omittingEmptySubsequences: true)
        guard parts.count == segments.count else { return false }
        return zip(parts, segments).allSatisfy { part, segment in
            (part.hasPrefix("{") && part.hasSuffix("}")) || part == segment
        }
    }
}
