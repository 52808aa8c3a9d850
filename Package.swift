// swift-tools-version: 6.2
import PackageDescription

/// Settings shared by every target: Swift 6 language mode, strict concurrency, warnings as errors.
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .treatAllWarnings(as: .error),
]

/// Every file imports the modules it uses (MemberImportVisibility), and an import is internal unless
/// it says `public import` or `package import` because the file's public or package API shows that
/// module's types (InternalImportsByDefault). docs/decisions/build-hygiene.md.
let importSettings: [SwiftSetting] = [
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "Freshet",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "freshet", targets: ["freshet"]),
        .library(name: "TableauEmulator", targets: ["TableauEmulator"]),
        .library(name: "TableauClient", targets: ["TableauClient"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/GraphQLSwift/GraphQL.git", from: "4.3.0"),
        .package(url: "https://github.com/vapor/jwt-kit.git", from: "5.8.0"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-configuration.git", from: "1.4.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-openapi-runtime.git", from: "1.13.4"),
    ],
    targets: [
        .target(
            name: "TableauEmulator",
            dependencies: [
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "GraphQL", package: "GraphQL"),
            ],
            swiftSettings: swiftSettings + importSettings
        ),
        .target(
            name: "TableauClient",
            dependencies: [
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings + importSettings
        ),
        .executableTarget(
            name: "freshet",
            dependencies: [
                "TableauEmulator",
                "FreshetServer",
                "FreshetAPITypes",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings + importSettings
        ),
        .target(
            name: "Freshet",
            dependencies: [
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings + importSettings
        ),
        .target(
            name: "FreshetSQLite",
            dependencies: [
                "Freshet",
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: swiftSettings + importSettings
        ),
        .target(
            name: "FreshetPostgres",
            dependencies: [
                "Freshet",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings + importSettings
        ),
        // The API's request and response types, generated from Sources/FreshetServer/openapi.yaml by
        // scripts/generate-openapi and committed (docs/decisions/openapi-source.md).
        .target(
            name: "FreshetAPITypes",
            dependencies: [.product(name: "OpenAPIRuntime", package: "swift-openapi-runtime")],
            exclude: ["openapi-generator-config.yaml", "openapi.sha256"],
            // Not warnings as errors: the generator's files import more than some of them use, and
            // Swift 6.3 warns about that (the generator silences it on 6.4 and later only).
            swiftSettings: [.enableUpcomingFeature("ExistentialAny")] + importSettings
        ),
        .target(
            name: "FreshetServer",
            dependencies: [
                "Freshet",
                "FreshetAPITypes",
                "FreshetSQLite",
                "FreshetPostgres",
                "TableauClient",
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            exclude: ["openapi.yaml"],
            swiftSettings: swiftSettings + importSettings,
            // Sources/FreshetServer/openapi.yaml, the API's one description, served as it is.
            plugins: ["EmbedOpenAPI"]
        ),
        .executableTarget(name: "freshet-embed", path: "Plugins/freshet-embed", swiftSettings: swiftSettings + importSettings),
        .plugin(name: "EmbedOpenAPI", capability: .buildTool(), dependencies: ["freshet-embed"]),
        .executableTarget(
            name: "freshet-bench",
            dependencies: [
                "TableauClient",
                "FreshetServer",
                "Freshet",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
            ],
            path: "bench/Sources/freshet-bench",
            swiftSettings: swiftSettings + importSettings
        ),
        // bench/hardening's baseline: one bare Hummingbird route returning a run-sized JSON.
        .executableTarget(
            name: "freshet-bare",
            dependencies: [.product(name: "Hummingbird", package: "hummingbird")],
            path: "bench/Sources/freshet-bare",
            swiftSettings: swiftSettings + importSettings
        ),
        .testTarget(
            name: "TableauEmulatorTests",
            dependencies: [
                "TableauEmulator",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            swiftSettings: swiftSettings + importSettings
        ),
        .testTarget(
            name: "FreshetTests",
            dependencies: ["Freshet", .product(name: "MetricsTestKit", package: "swift-metrics")],
            swiftSettings: swiftSettings + importSettings
        ),
        .testTarget(
            name: "FreshetSQLiteTests",
            dependencies: ["Freshet", "FreshetSQLite"],
            swiftSettings: swiftSettings + importSettings
        ),
        .testTarget(
            name: "FreshetStoreConformanceTests",
            dependencies: ["Freshet", "FreshetSQLite", "FreshetPostgres", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: swiftSettings + importSettings
        ),
        .testTarget(
            name: "FreshetServerTests",
            dependencies: [
                "Freshet", "FreshetServer", "FreshetSQLite", "FreshetPostgres", "TableauEmulator",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: swiftSettings + importSettings
        ),
        .testTarget(
            name: "TableauClientTests",
            dependencies: [
                "TableauClient",
                "TableauEmulator",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings + importSettings
        ),
    ]
)
