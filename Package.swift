// swift-tools-version:6.0
import PackageDescription

/// Settings shared by every target, declared once (see ../shared/design/STYLE.md §1).
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "amtsbote",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "amtsbote", targets: ["amtsbote"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        // Already in the graph through async-http-client; declared because delivery uses NIOSSL
        // (custom CA, client certificate) and NIOCore/NIOHTTP1 types in AHC's API.
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.3"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
    ],
    targets: [
        // Durable file spool: segment log, group commit, job index. Foundation/Glibc only, plus
        // our own C file for the CPU's CRC-32C instruction (Swift cannot target one function at SSE 4.2).
        .target(name: "CAmtsboteCRC32C"),
        .target(name: "AmtsboteSpool", dependencies: ["CAmtsboteCRC32C"], exclude: ["README.md"], swiftSettings: swiftSettings),
        // Documents, path language, mapping compiler and evaluator, code lists.
        .target(
            name: "AmtsboteMapping",
            dependencies: [.product(name: "Yams", package: "Yams")],
            exclude: ["README.md"],
            swiftSettings: swiftSettings
        ),
        // Delivery workers: target senders (HTTP, file drop), retry policy, circuit breaker, per-target workers.
        .target(
            name: "AmtsboteDelivery",
            dependencies: [
                "AmtsboteSpool",
                "AmtsboteMapping",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            exclude: ["README.md"],
            swiftSettings: swiftSettings
        ),
        // HTTP ingest and status API, configuration, admin socket, lifecycle of `amtsbote serve`.
        .target(
            name: "AmtsboteServer",
            dependencies: [
                "AmtsboteSpool",
                "AmtsboteMapping",
                "AmtsboteDelivery",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Yams", package: "Yams"),
            ],
            resources: [.copy("Resources/openapi.yaml")],
            swiftSettings: swiftSettings
        ),
        // The one executable: serve, queue, mapping, submit, purge, bench.
        .executableTarget(
            name: "amtsbote",
            dependencies: [
                "AmtsboteSpool",
                "AmtsboteMapping",
                "AmtsboteDelivery",
                "AmtsboteServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                // bench e2e: the client posting submissions and the sink answering deliveries.
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "AmtsboteSpoolTests", dependencies: ["AmtsboteSpool"], swiftSettings: swiftSettings),
        .testTarget(
            name: "AmtsboteMappingTests",
            dependencies: ["AmtsboteMapping"],
            resources: [.copy("Fixtures")],
            swiftSettings: swiftSettings
        ),
        // Shared by test targets: a real HTTP sink (Hummingbird on 127.0.0.1, port 0) playing a department system.
        .target(
            name: "AmtsboteTestSupport",
            dependencies: [
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            path: "Tests/AmtsboteTestSupport",
            swiftSettings: swiftSettings
        ),
        // Delivery against real HTTP sinks (Hummingbird on 127.0.0.1, port 0) and real temp dirs.
        .testTarget(
            name: "AmtsboteDeliveryTests",
            dependencies: [
                "AmtsboteDelivery",
                "AmtsboteSpool",
                "AmtsboteMapping",
                "AmtsboteTestSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "MetricsTestKit", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "AmtsboteServerTests",
            dependencies: [
                "AmtsboteServer",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            resources: [.copy("Fixtures")],
            swiftSettings: swiftSettings
        ),
        // Runs the real `amtsbote` binary in subprocesses (CLI, crash and end-to-end tests).
        .testTarget(
            name: "EndToEndTests",
            dependencies: [
                "amtsbote",
                "AmtsboteSpool",
                "AmtsboteTestSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
