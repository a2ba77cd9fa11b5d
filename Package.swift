// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "dellm",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "dellm", targets: ["dellm"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.1"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.5.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.0.0"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.2.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        // The console's HTTP and WebSocket server: no dependency of its own (no NIO), so it adds about a
        // minute to a clean build where Hummingbird adds several.
        .package(url: "https://github.com/swhitty/FlyingFox", from: "0.27.1"),
    ],
    targets: [
        // C libraries, found through pkg-config; each wrapped by exactly one Swift module below.
        .systemLibrary(name: "CHiredis", pkgConfig: "hiredis", providers: [.apt(["libhiredis-dev"])]),
        .systemLibrary(name: "CLibPQ", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),

        .target(name: "DellmSupport"),
        .target(name: "DellmRedis", dependencies: ["CHiredis", "DellmSupport"]),
        .target(name: "DellmPostgres", dependencies: ["CLibPQ", "DellmSupport"]),
        .target(name: "DellmModel", dependencies: ["CCurl", "DellmSupport", .product(name: "Metrics", package: "swift-metrics")]),
        .target(name: "DellmCore", dependencies: ["DellmSupport"]),
        .target(name: "DellmFleet", dependencies: [
            "DellmCore", "DellmRedis", "DellmPostgres", "DellmModel", "DellmSupport",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Yams", package: "Yams"),
            .product(name: "Metrics", package: "swift-metrics"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "UnixSignals", package: "swift-service-lifecycle"),
        ]),
        .target(name: "DellmConsole", dependencies: [
            "DellmFleet", "DellmCore", "DellmRedis", "DellmSupport",
            .product(name: "FlyingFox", package: "FlyingFox"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .executableTarget(name: "dellm", dependencies: [
            "DellmConsole", "DellmFleet", "DellmCore", "DellmRedis", "DellmPostgres", "DellmModel", "DellmSupport",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Metrics", package: "swift-metrics"),
            .product(name: "Prometheus", package: "swift-prometheus"),
            .product(name: "Histogram", package: "hdrhistogram-swift"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ]),
        .testTarget(name: "DellmCoreTests", dependencies: ["DellmCore"]),
        .testTarget(name: "DellmIntegrationTests", dependencies: [
            "DellmConsole", "DellmFleet", "DellmCore", "DellmRedis", "DellmPostgres", "DellmModel", "DellmSupport",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Metrics", package: "swift-metrics"),
            .product(name: "Prometheus", package: "swift-prometheus"),
        ]),
    ],
    swiftLanguageModes: [.v6]
)
