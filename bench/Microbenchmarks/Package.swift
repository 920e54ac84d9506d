// swift-tools-version:6.2
// Kept apart from the main package so its build stays lean.
import PackageDescription

let package = Package(
    name: "Microbenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(path: ".deps/health-exporter"),  // linked by bench/hot-path-allocations
    ],
    targets: [
        .executableTarget(
            name: "HotPathAllocations",
            dependencies: [.product(name: "Telemetry", package: "health-exporter")],
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
    ]
)
