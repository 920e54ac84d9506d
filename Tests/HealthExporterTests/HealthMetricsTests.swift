import NIOCore
import Telemetry
import Testing

@testable import HealthExporter

@Suite("Contract metrics fed by runs, snapshots and transitions")
struct HealthMetricsTests {
    private func value(_ text: String, _ series: String) -> Double? {
        text.split(separator: "\n").first { $0.hasPrefix(series + " ") }.flatMap { Double($0.split(separator: " ").last!) }
    }

    @Test("runs count by result, failures by reason, durations in the histogram; unknown checks are ignored")
    func runs() throws {
        let metrics = try HealthMetrics(registry: MetricsRegistry(), checks: TestFixtures.seedChecks)
        metrics.recordRun(check: "database", result: .success, reason: nil, duration: .milliseconds(3))
        metrics.recordRun(check: "database", result: .failure, reason: .refused, duration: .milliseconds(1))
        metrics.recordRun(check: "database", result: .timeout, reason: .timeout, duration: .seconds(2))
        metrics.recordRun(check: "nope", result: .failure, reason: .refused, duration: .seconds(1))
        let text = metrics.registry.render(.prometheus)
        #expect(value(text, #"health_check_runs_total{check="database",result="success"}"#) == 1)
        #expect(value(text, #"health_check_runs_total{check="database",result="failure"}"#) == 1)
        #expect(value(text, #"health_check_runs_total{check="database",result="timeout"}"#) == 1)
        #expect(value(text, #"health_check_failures_total{check="database",reason="refused"}"#) == 1)
        #expect(value(text, #"health_check_failures_total{check="database",reason="timeout"}"#) == 1)
        #expect(value(text, #"health_check_duration_seconds_count{check="database"}"#) == 3)
        #expect(value(text, #"health_check_duration_seconds_bucket{check="database",le="0.005"}"#) == 2)
        #expect(value(text, #"health_check_duration_seconds_sum{check="database"}"#) == 2.004)
        #expect(!text.contains(#"check="nope""#))
    }

    @Test("probe requests by code, including codes without a pre-created series")
    func probeRequests() throws {
        let metrics = try HealthMetrics(registry: MetricsRegistry(), checks: [])
        metrics.recordProbeRequest(.readiness, code: 200, duration: .microseconds(20))
        metrics.recordProbeRequest(.readiness, code: 503, duration: .microseconds(30))
        metrics.recordProbeRequest(.readiness, code: 404, duration: .microseconds(30))
        let text = metrics.registry.render(.prometheus)
        #expect(value(text, #"health_probe_requests_total{probe="readyz",code="200"}"#) == 1)
        #expect(value(text, #"health_probe_requests_total{probe="readyz",code="503"}"#) == 1)
        #expect(value(text, #"health_probe_requests_total{probe="readyz",code="404"}"#) == 1)
        #expect(value(text, #"health_probe_duration_seconds_bucket{probe="readyz",le="2.5e-05"}"#) == 1)
        #expect(value(text, #"health_probe_duration_seconds_count{probe="readyz"}"#) == 3)
    }

    @Test("two HealthMetrics on one registry share its families and series; a differing definition is refused by name")
    func sharedRegistry() throws {
        let registry = MetricsRegistry()
        let first = try HealthMetrics(registry: registry, checks: TestFixtures.seedChecks)
        let second = try HealthMetrics(registry: registry, checks: TestFixtures.seedChecks)
        first.recordRun(check: "database", result: .success, reason: nil, duration: .milliseconds(1))
        second.recordRun(check: "database", result: .success, reason: nil, duration: .milliseconds(1))
        let text = String(buffer: registry.render(.prometheus, allocator: ByteBufferAllocator()))
        #expect(text.contains(#"health_check_runs_total{check="database",result="success"} 2"#), "one series, counted by both")
        #expect(text.split(separator: "\n").filter { $0 == "# TYPE health_check_runs_total counter" }.count == 1, "one family, rendered once")

        let clash = MetricsRegistry()
        _ = try clash.counter("health_check_runs_total", help: "someone else's", labels: ["check"])
        #expect {
            try HealthMetrics(registry: clash, checks: [])
        } throws: { error in
            "\(error)".contains("health_check_runs_total")
        }
    }
}
