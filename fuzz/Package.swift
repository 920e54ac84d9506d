// swift-tools-version:6.2
import PackageDescription

// libFuzzer harnesses, built apart from the main package so its builds never
// carry sanitizer flags: see scripts/fuzz.
let package = Package(
    name: "health-exporter-fuzz",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "health-exporter", path: ".."),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        .executableTarget(
            name: "FuzzHTTPPipeline",
            dependencies: [
                .product(name: "HealthExporter", package: "health-exporter"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "FuzzConfig",
            dependencies: [.product(name: "HealthExporter", package: "health-exporter")]
        ),
        .executableTarget(
            name: "FuzzRequestTarget",
            dependencies: [
                .product(name: "HealthExporter", package: "health-exporter"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
    ]
)

for target in package.targets {
    var settings = target.swiftSettings ?? []
    settings.append(.swiftLanguageMode(.v6))
    settings.append(.enableUpcomingFeature("ExistentialAny"))
    settings.append(.enableUpcomingFeature("MemberImportVisibility"))
    target.swiftSettings = settings
}
