import Logging
import Telemetry

@testable import HealthExporter

/// Shared builders for tests: the seed's checks, a pinned clock, a monitor.
enum TestFixtures {
    /// 2026-11-26T07:00:00.000Z
    static let pinnedTime = WallClockTimestamp(nanosecondsSinceEpoch: 1_795_676_400_000_000_000)

    static func simulated(
        _ name: String,
        detail: String? = nil,
        probes: Set<Probe> = [.readiness],
        critical: Bool = true,
        startFailing: Bool = false
    ) -> CheckConfig {
        CheckConfig(name: name, kind: .simulated(.init(detail: detail, startFailing: startFailing)), probes: probes, critical: critical)
    }

    static var seedChecks: [CheckConfig] {
        [
            simulated("database", detail: "Database not available"),
            simulated("external-service", detail: "External service not available"),
        ]
    }

    static func monitor(_ checks: [CheckConfig] = seedChecks, logger: Logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })) -> HealthMonitor {
        HealthMonitor(checks: checks, logger: logger, wallClock: { pinnedTime })
    }

    static func router(
        _ monitor: HealthMonitor,
        root: HealthExporterConfig.Root = .statusz,
        adminEnabled: Bool = true,
        token: String? = nil,
        details: HealthExporterConfig.Expose.Details = .always
    ) -> ProbeRouter {
        ProbeRouter(
            monitor: monitor,
            root: root,
            admin: .init(enabled: adminEnabled, tokenFile: token == nil ? nil : "/run/token", token: token.map(AdminToken.init)),
            details: details,
            version: "test"
        )
    }
}
