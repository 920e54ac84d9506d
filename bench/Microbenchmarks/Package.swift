// swift-tools-version:6.2
// Kept apart from the main package so its build stays lean. Run through
// bench/microbenchmarks, which links the main package into .deps/.
import PackageDescription

let package = Package(
    name: "Microbenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(path: ".deps/health-exporter"),  // linked by bench/microbenchmarks
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
    ],
    targets: [
        .executableTarget(
            name: "Microbench",
            dependencies: [
                .product(name: "Telemetry", package: "health-exporter"),
                .product(name: "HealthExporter", package: "health-exporter"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
            ],
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
    ]
)
