import ArgumentParser

/// Benchmarks that compare Freshet with the way pipelines drive Tableau today.
@main
struct FreshetBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "freshet-bench",
        abstract: "Freshet benchmarks (see bench/README.md).",
        subcommands: [ClientBench.self, RefreshBench.self, BareHTTPBench.self, FreshnessBench.self]
    )
}
