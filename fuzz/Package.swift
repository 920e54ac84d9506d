// swift-tools-version:6.2
import PackageDescription

// libFuzzer harnesses over the main package's code. scripts/fuzz builds them
// in the main package's build folder with HEALTH_EXPORTER_FUZZ=1, which gives
// HealthExporter and Telemetry (the code under test) and these harnesses
// coverage and AddressSanitizer, and reuses every dependency as the tests
// built it.
let package = Package(
    name: "health-exporter-fuzz",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "health-exporter", path: ".."),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        .target(name: "CFuzzerDriver"),
        .target(name: "FuzzerDriver", dependencies: ["CFuzzerDriver"]),
        .executableTarget(
            name: "FuzzHTTPPipeline",
            dependencies: [
                "FuzzerDriver",
                .product(name: "HealthExporter", package: "health-exporter"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "FuzzConfig",
            dependencies: ["FuzzerDriver", .product(name: "HealthExporter", package: "health-exporter")]
        ),
        .executableTarget(
            name: "FuzzRequestTarget",
            dependencies: [
                "FuzzerDriver",
                .product(name: "HealthExporter", package: "health-exporter"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
    ]
)

for target in package.targets where target.type != .system && target.name != "CFuzzerDriver" {
    var settings = target.swiftSettings ?? []
    settings.append(.swiftLanguageMode(.v6))
    settings.append(.enableUpcomingFeature("ExistentialAny"))
    settings.append(.enableUpcomingFeature("MemberImportVisibility"))
    settings.append(.unsafeFlags(["-sanitize=fuzzer,address"]))
    target.swiftSettings = settings
    if target.type == .executable {
        target.linkerSettings = [.unsafeFlags(["-sanitize=fuzzer,address"])]
    }
}
