/// A seed that cannot be loaded: names the file, the place in it and what is wrong.
public struct SeedError: Error, CustomStringConvertible, Sendable {
    /// The seed file, or "<seed>" for a seed built in code.
    public var file: String
    /// Where in the seed, as a path like `sites[0].workbooks[2].project`.
    public var place: String
    public var problem: String

    public init(file: String, place: String, problem: String) {
        self.file = file
        self.place = place
        self.problem = problem
    }

    public var description: String {
        place.isEmpty ? "\(file): \(problem)" : "\(file): at \(place): \(problem)"
    }
}
