// swift-tools-version: 6.2
import PackageDescription

/// Runs swift-openapi-generator (one pinned version) outside the main package, so that neither
/// `swift build` nor CI builds the generator: scripts/generate-openapi uses it to regenerate
/// the committed code in Sources/FreshetAPITypes/Generated
/// (docs/decisions/openapi-source.md).
let package = Package(
    name: "openapi-generator",
    dependencies: [
        .package(url: "https://github.com/apple/swift-openapi-generator", exact: "1.14.3")
    ]
)
