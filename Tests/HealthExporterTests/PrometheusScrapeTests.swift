import Foundation
import Testing

/// A real Prometheus (Debian's `prometheus`) scraping the real binary.
@Suite("Scraped by a real Prometheus", .serialized, .timeLimit(.minutes(2)))
struct PrometheusScrapeTests {
    static let families = [
        "health_check_up", "health_check_runs_total", "health_check_duration_seconds_bucket", "health_check_last_success_timestamp_seconds",
        "health_check_transitions_total", "health_probe_requests_total", "health_probe_duration_seconds_bucket", "health_probe_up",
        "health_exporter_build_info", "health_exporter_config_last_reload_successful",
        "health_exporter_config_last_reload_success_timestamp_seconds", "process_cpu_seconds_total", "process_resident_memory_bytes",
        "process_virtual_memory_bytes", "process_open_fds", "process_max_fds", "process_start_time_seconds",
    ]

    @Test("up == 1 and every family has series")
    func scrape() async throws {
        let exporter = try ExecutableUnderTest.Service(["--listen", "127.0.0.1:0"])
        let listening = try #require(exporter.waitForLine(containing: "\"msg\":\"listening\""))
        let port = try #require(ExecutableUnderTest.port(fromListeningLine: listening))

        let prometheus = try await RealPrometheus(scraping: "127.0.0.1:\(port)")
        defer { prometheus.stop() }

        // Some probe traffic and a flip, so counters and transitions move.
        let client = try await RawHTTPClient.connect(port: port)
        for _ in 0..<3 { _ = try await client.request("GET", "/readyz") }
        _ = try await client.request("POST", "/simulate_db_failure")
        await client.close()

        var up: Double?
        for _ in 0..<60 where up != 1 {
            try await Task.sleep(for: .milliseconds(250))
            up = try await prometheus.query("up").first?.value
        }
        #expect(up == 1, "Prometheus never scraped the exporter successfully")
        // Wait for a scrape that saw the flip.
        for _ in 0..<40 {
            if try await prometheus.query(#"health_check_up{check="database"}"#).first?.value == 0 { break }
            try await Task.sleep(for: .milliseconds(250))
        }
        for family in Self.families {
            let series = try await prometheus.query(family)
            #expect(!series.isEmpty, "\(family) has no series in Prometheus")
        }
        #expect(try await prometheus.query(#"health_check_up{check="database"}"#).first?.value == 0)
        #expect(try await prometheus.query(#"health_probe_requests_total{probe="readyz",code="200"}"#).first?.value ?? 0 >= 3)
        #expect(try await prometheus.query("scrape_samples_scraped").first?.value ?? 0 > 100)
        #expect(exporter.stopSkippingDrain() == 0)
    }
}
