import Logging
import ServiceLifecycle
import Telemetry
import TelemetryTesting
import Testing

@testable import HealthExporter

@Suite("Reloading the configuration (SIGHUP)", .timeLimit(.minutes(1)))
struct ConfigReloadTests {
    private static let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

    private static let original = """
        checks:
          - {name: database, kind: simulated, detail: "Database not available"}
          - {name: external-service, kind: simulated}
          - {name: root, kind: disk, path: /, minFree: 1KiB}
        """

    @Test("the plan names added, changed, removed and unchanged checks, and settings that need a restart")
    func plan() throws {
        let old = try ConfigLoader.parse(yaml: Self.original, source: "old.yaml")
        let new = try ConfigLoader.parse(
            yaml: """
                listen: 127.0.0.1:9000
                grpc: {listen: 127.0.0.1:9001}
                checks:
                  - {name: database, kind: simulated, detail: "Database not available"}
                  - {name: root, kind: disk, path: /, minFree: 2KiB}
                  - {name: cache, kind: tcp, address: "127.0.0.1:6379"}
                """, source: "new.yaml")
        let plan = ReloadPlan(from: old, to: new)
        #expect(plan.added == ["cache"])
        #expect(plan.changed == ["root"])
        #expect(plan.removed == ["external-service"])
        #expect(plan.unchanged == ["database"])
        #expect(plan.needsRestart == ["listen", "grpc"], "the gRPC listener, like the HTTP one, is bound once")
        #expect(plan.description == "checks: 1 added (cache), 1 changed (root), 1 removed (external-service), 1 unchanged")
    }

    /// A reloader over real clients and a running scheduler, reading `path`.
    private func withReloader(
        path: String,
        _ body: (ConfigReloader<TestClock>, HealthMonitor, HealthMetrics, InMemoryNotifier) async throws -> Void
    ) async throws {
        let clock = TestClock()
        let config = try ConfigLoader.load(path: path)
        let metrics = try HealthMetrics(registry: MetricsRegistry(), checks: config.checks)
        let monitor = HealthMonitor(checks: config.checks, logger: Self.logger, metrics: metrics, heartbeatTimeout: .seconds(5))
        let notifier = InMemoryNotifier()
        let lifecycle = SystemdLifecycle(notifier: notifier, monitor: monitor, readyWhen: .ready, clock: clock, logger: Self.logger)
        let factory = CheckFactory(configs: config.checks, logger: Self.logger)
        let scheduler = CheckScheduler(
            checks: factory.checks, monitor: monitor, clock: clock, jitter: { _ in .zero }, sweepLoop: nil, logger: Self.logger)
        let reloader = ConfigReloader(
            current: config, load: { () throws(ConfigError) in try ConfigLoader.load(path: path) },
            factory: factory, scheduler: scheduler, metrics: metrics, lifecycle: lifecycle, logger: Self.logger)
        let group = ServiceGroup(services: [factory, scheduler], logger: Self.logger)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            lifecycle.serverListening()
            try await body(reloader, monitor, metrics, notifier)
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }

    @Test("a reload keeps unchanged checks' state, applies the rest, and brackets it with RELOADING=1 and READY=1")
    func reload() async throws {
        let path = try TemporaryFile.write(Self.original, suffix: ".yaml")
        defer { TemporaryFile.remove(path) }
        try await withReloader(path: path) { reloader, monitor, metrics, notifier in
            try monitor.setSimulated(check: "database", failing: true)
            try TemporaryFile.overwrite(
                path,
                with: """
                    checks:
                      - {name: database, kind: simulated, detail: "Database not available"}
                      - {name: queue, kind: simulated, startFailing: true}
                    """)
            let plan = try #require(await reloader.reload())
            #expect(plan.added == ["queue"] && plan.removed == ["external-service", "root"] && plan.unchanged == ["database"])

            let snapshot = monitor.snapshot
            #expect(snapshot.checks.map(\.name) == ["database", "queue", "scheduler"])
            #expect(snapshot.check(named: "database")?.reason == .simulated, "the failed flag survived the reload")
            let exposition = metrics.registry.render(.prometheus)
            #expect(exposition.contains(#"health_check_up{check="queue"} 0"#))
            #expect(!exposition.contains(#"check="external-service""#), "a removed check's series leave /metrics")
            #expect(exposition.contains("health_exporter_config_last_reload_successful 1"))

            let reloading = try #require(notifier.messages(setting: "RELOADING").last)
            #expect(UInt64(reloading["MONOTONIC_USEC"] ?? "") != nil)
            let last = try #require(notifier.messages.last)
            #expect(last["READY"] == "1")
            #expect(last["STATUS"] == "not ready: database down (simulated), queue down (simulated)")
            let order = notifier.messages.compactMap { $0["RELOADING"] != nil ? "reloading" : ($0["READY"] != nil ? "ready" : nil) }
            #expect(order.suffix(2) == ["reloading", "ready"])
        }
    }

    @Test("a broken file is refused: the old configuration keeps running and the metric says so")
    func refused() async throws {
        let path = try TemporaryFile.write(Self.original, suffix: ".yaml")
        defer { TemporaryFile.remove(path) }
        try await withReloader(path: path) { reloader, monitor, metrics, notifier in
            try TemporaryFile.overwrite(path, with: "checks:\n  - {name: database, kind: postgress}\n")
            #expect(await reloader.reload() == nil)
            #expect(monitor.snapshot.checks.map(\.name) == ["database", "external-service", "root", "scheduler"])
            #expect(reloader.configuration.checks.count == 3)
            #expect(metrics.registry.render(.prometheus).contains("health_exporter_config_last_reload_successful 0"))
            let status = try #require(notifier.messages.last?["STATUS"])
            #expect(status.contains("reload failed, previous config kept: \(path):2:"), "names the file and line: \(status)")
            #expect(status.contains("postgress"))
            #expect(notifier.messages.last?["READY"] == "1", "systemctl reload must not hang")
        }
    }

    @Test("without a --config file a reload changes nothing and still answers READY=1")
    func demoReload() async throws {
        let monitor = TestFixtures.monitor()
        let notifier = InMemoryNotifier()
        let clock = TestClock()
        let lifecycle = SystemdLifecycle(notifier: notifier, monitor: monitor, readyWhen: .ready, clock: clock, logger: Self.logger)
        let factory = CheckFactory(configs: TestFixtures.seedChecks, logger: Self.logger)
        let scheduler = CheckScheduler(checks: [], monitor: monitor, clock: clock, sweepLoop: nil, logger: Self.logger)
        let reloader = ConfigReloader(
            current: HealthExporterConfig(checks: TestFixtures.seedChecks), load: nil,
            factory: factory, scheduler: scheduler, metrics: nil, lifecycle: lifecycle, logger: Self.logger)
        #expect(await reloader.reload() == nil)
        #expect(notifier.messages.suffix(2).map { $0["RELOADING"] ?? $0["READY"] } == ["1", "1"])
        #expect(monitor.snapshot.checks.count == 2)
    }
}
