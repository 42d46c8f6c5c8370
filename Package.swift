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
    ],
    targets: [
        // Durable file spool: segment log, group commit, job index. Foundation/Glibc only.
        .target(name: "AmtsboteSpool", exclude: ["README.md"], swiftSettings: swiftSettings),
        // Documents, path language, mapping compiler and evaluator, code lists.
        .target(
            name: "AmtsboteMapping",
            dependencies: [.product(name: "Yams", package: "Yams")],
            exclude: ["README.md"],
            swiftSettings: swiftSettings
        ),
        // The one executable: serve, queue, mapping, submit, purge, bench.
        .executableTarget(
            name: "amtsbote",
            dependencies: [
                "AmtsboteSpool",
                "AmtsboteMapping",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
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
        // Runs the real `amtsbote` binary in subprocesses (CLI, crash and end-to-end tests).
        .testTarget(name: "EndToEndTests", dependencies: ["amtsbote", "AmtsboteSpool"], swiftSettings: swiftSettings),
    ]
)
