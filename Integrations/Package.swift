// swift-tools-version:6.2
// Framework adapters for health-exporter, kept apart so the core package's
// build and binary never carry Hummingbird or Vapor. Depends on the core by path.
import PackageDescription

let package = Package(
    name: "health-exporter-integrations",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "HealthExporterHummingbird", targets: ["HealthExporterHummingbird"]),
        .library(name: "HealthExporterVapor", targets: ["HealthExporterVapor"]),
        .executable(name: "HummingbirdHealthExample", targets: ["HummingbirdHealthExample"]),
        .executable(name: "VaporHealthExample", targets: ["VaporHealthExample"]),
    ],
    dependencies: [
        .package(name: "health-exporter", path: ".."),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/vapor/vapor", from: "4.122.3"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-atomics", from: "1.3.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
    ],
    targets: [
        .target(
            name: "HealthExporterHummingbird",
            dependencies: [
                .product(name: "HealthExporter", package: "health-exporter"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        .target(
            name: "HealthExporterVapor",
            dependencies: [
                .product(name: "HealthExporter", package: "health-exporter"),
                .product(name: "Vapor", package: "vapor"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        .executableTarget(
            name: "HummingbirdHealthExample",
            dependencies: [
                "HealthExporterHummingbird",
                .product(name: "HealthExporter", package: "health-exporter"),
                .product(name: "Telemetry", package: "health-exporter"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Atomics", package: "swift-atomics"),
            ]
        ),
        .executableTarget(
            name: "VaporHealthExample",
            dependencies: [
                "HealthExporterVapor",
                .product(name: "HealthExporter", package: "health-exporter"),
                .product(name: "Telemetry", package: "health-exporter"),
                .product(name: "Vapor", package: "vapor"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Atomics", package: "swift-atomics"),
            ]
        ),
        .testTarget(
            name: "IntegrationsTests",
            dependencies: [
                "HealthExporterHummingbird",
                "HealthExporterVapor",
                .product(name: "HealthExporter", package: "health-exporter"),
                .product(name: "Telemetry", package: "health-exporter"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Vapor", package: "vapor"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Atomics", package: "swift-atomics"),
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
