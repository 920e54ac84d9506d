import Foundation
import Logging
import Telemetry
import TestSupport
import Testing

@testable import HealthExporter

@Suite("/metrics on the running server", .timeLimit(.minutes(1)))
struct MetricsEndpointTests {
    private static let scheduled = CheckConfig(name: "cache", kind: .custom, interval: .seconds(10))

    private static func instrumented(checks: [CheckConfig] = TestFixtures.seedChecks) throws -> (HealthMonitor, ProbeServer.Configuration) {
        let registry = MetricsRegistry()
        try ProcessMetrics.register(in: registry)
        let metrics = try HealthMetrics(registry: registry, checks: checks, version: "9.9.9")
        metrics.recordConfigLoad(successful: true, at: TestFixtures.pinnedTime)
        let monitor = HealthMonitor(
            checks: checks,
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }),
            metrics: metrics,
            wallClock: { TestFixtures.pinnedTime }
        )
        let configuration = ProbeServer.Configuration(
            listen: ListenAddress(host: "127.0.0.1", port: 0), admin: .init(enabled: true), metrics: metrics)
        return (monitor, configuration)
    }

    private static func sample(_ text: String, _ series: String) -> Double? {
        text.split(separator: "\n").first { $0.hasPrefix(series + " ") }.flatMap { Double($0.split(separator: " ").last!) }
    }

    @Test("every contract family is present, and counts follow probe requests and flips")
    func families() async throws {
        let (monitor, configuration) = try Self.instrumented()
        try await RunningServer.with(monitor: monitor, configuration: configuration) { port, _ in
            let client = try await RawHTTPClient.connect(port: port)
            for _ in 0..<5 { _ = try await client.request("GET", "/readyz") }
            _ = try await client.request("GET", "/ready")
            _ = try await client.request("GET", "/livez?verbose")
            _ = try await client.request("POST", "/simulate_db_failure")
            _ = try await client.request("GET", "/readyz/database")
            let scrape = try await client.request("GET", "/metrics")
            await client.close()

            #expect(scrape.status == 200, "/metrics answers 200 while not ready")
            #expect(scrape.header("Content-Type") == "text/plain; version=0.0.4; charset=utf-8")
            let text = scrape.body
            for family in [
                "health_check_up", "health_check_runs_total", "health_check_duration_seconds", "health_check_last_success_timestamp_seconds",
                "health_check_transitions_total", "health_probe_requests_total", "health_probe_duration_seconds", "health_probe_up",
                "health_exporter_build_info", "health_exporter_config_last_reload_successful",
                "health_exporter_config_last_reload_success_timestamp_seconds", "process_cpu_seconds_total", "process_resident_memory_bytes",
                "process_virtual_memory_bytes", "process_open_fds", "process_max_fds", "process_start_time_seconds",
            ] {
                #expect(text.contains("# TYPE \(family) "), "\(family)")
            }
            #expect(Self.sample(text, #"health_probe_requests_total{probe="readyz",code="200"}"#) == 6)
            #expect(Self.sample(text, #"health_probe_requests_total{probe="readyz",code="503"}"#) == 1)
            #expect(Self.sample(text, #"health_probe_requests_total{probe="livez",code="200"}"#) == 1)
            #expect(Self.sample(text, #"health_probe_duration_seconds_count{probe="readyz"}"#) == 7)
            #expect(Self.sample(text, #"health_check_up{check="database"}"#) == 0)
            #expect(Self.sample(text, #"health_check_up{check="external-service"}"#) == 1)
            #expect(Self.sample(text, #"health_check_transitions_total{check="database",to="down"}"#) == 1)
            #expect(Self.sample(text, #"health_check_runs_total{check="database",result="failure"}"#) == 1, "a flip is the simulated check's run")
            #expect(Self.sample(text, #"health_check_failures_total{check="database",reason="simulated"}"#) == 1)
            #expect(Self.sample(text, #"health_check_runs_total{check="external-service",result="failure"}"#) == 0)
            #expect(Self.sample(text, #"health_probe_up{probe="readyz"}"#) == 0)
            #expect(Self.sample(text, #"health_probe_up{probe="livez"}"#) == 1)
            #expect(Self.sample(text, #"health_exporter_build_info{version="9.9.9"}"#) == 1)
            #expect(Self.sample(text, "health_exporter_config_last_reload_successful") == 1)
            #expect(Self.sample(text, "health_exporter_config_last_reload_success_timestamp_seconds") == TestFixtures.pinnedTime.secondsSinceEpoch)
            #expect(Self.sample(text, #"health_check_last_success_timestamp_seconds{check="database"}"#) == TestFixtures.pinnedTime.secondsSinceEpoch)

            let lint = try Promtool.checkMetrics(text)
            #expect(lint.status == 0)
            #expect(lint.output == "", "promtool said: \(lint.output)")
        }
    }

    @Test("OpenMetrics when Accept asks for it; HEAD has no body; POST is 405")
    func negotiationAndMethods() async throws {
        let (monitor, configuration) = try Self.instrumented()
        try await RunningServer.with(monitor: monitor, configuration: configuration) { port, _ in
            let client = try await RawHTTPClient.connect(port: port)
            let openMetrics = try await client.request("GET", "/metrics", headers: ["Accept: application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5"])
            #expect(openMetrics.header("Content-Type") == "application/openmetrics-text; version=1.0.0; charset=utf-8")
            #expect(openMetrics.body.hasSuffix("# EOF\n"))
            let head = try await client.request("HEAD", "/metrics")
            #expect(head.status == 200)
            #expect(head.body.isEmpty)
            #expect(Int(head.header("Content-Length") ?? "0")! > 1000)
            let post = try await client.request("POST", "/metrics")
            #expect(post.status == 405)
            #expect(post.header("Allow") == "GET, HEAD")
            await client.close()
        }
    }

    @Test("scraping never runs a check: 20 scrapes beside a running scheduler, no run and no new snapshot")
    func scrapeIsPassive() async throws {
        let (monitor, configuration) = try Self.instrumented(checks: [Self.scheduled])
        let check = CheckSchedulerTests.ScriptedCheck()
        // Time stands still on the test clock: any run after the first would be the scrape's doing.
        let scheduler = CheckScheduler(
            checks: [(Self.scheduled, check)], monitor: monitor, clock: TestClock(), jitter: { _ in .zero }, sweepLoop: nil,
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
        try await RunningServer.with(monitor: monitor, configuration: configuration, alongside: [scheduler]) { port, _ in
            try await eventually("the first run's result") { monitor.snapshot.check(named: "cache")?.lastResult != nil }
            let runs = check.runs
            let generation = monitor.snapshot.generation
            let client = try await RawHTTPClient.connect(port: port)
            for _ in 0..<20 { #expect(try await client.request("GET", "/metrics").status == 200) }
            await client.close()
            #expect(check.runs == runs, "a scrape ran the check")
            #expect(monitor.snapshot.generation == generation, "a scrape changed the state")
        }
    }
}
