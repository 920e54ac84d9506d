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
        let port = try #require(CommandLineTests.port(fromListeningLine: listening))

        let prometheus = try RealPrometheus(scraping: "127.0.0.1:\(port)")
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
        #expect(exporter.stop() == 0)
    }
}

/// A Prometheus server on a free loopback port with a 1 s scrape interval,
/// its data in a temporary directory removed on stop.
final class RealPrometheus {
    struct Sample { var labels: [String: String]; var value: Double }
    struct Unavailable: Error, CustomStringConvertible { let description: String }

    let process = Process()
    let directory: URL
    let port: Int

    init(scraping target: String) throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/prometheus") else {
            throw Unavailable(description: "prometheus is not installed (Debian package prometheus; scripts/test installs it)")
        }
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("he-prom-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let config = """
            global: {scrape_interval: 1s, evaluation_interval: 1s}
            scrape_configs:
              - job_name: health-exporter
                static_configs: [{targets: ["\(target)"]}]
            """
        try config.write(to: directory.appendingPathComponent("prometheus.yml"), atomically: true, encoding: .utf8)
        port = try FreePort.find()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/prometheus")
        process.arguments = [
            "--config.file=\(directory.path)/prometheus.yml", "--storage.tsdb.path=\(directory.path)/data",
            "--web.listen-address=127.0.0.1:\(port)", "--log.level=warn",
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
    }

    /// An instant query through the HTTP API; retries while Prometheus starts.
    func query(_ expression: String) async throws -> [Sample] {
        var lastError: (any Error)?
        for _ in 0..<40 {
            do {
                let client = try await RawHTTPClient.connect(port: port)
                let encoded = expression.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? expression
                let response = try await client.request("GET", "/api/v1/query?query=\(encoded)", headers: ["Connection: close"])
                await client.close()
                guard response.status == 200,
                    let json = try JSONSerialization.jsonObject(with: Data(response.body.utf8)) as? [String: Any],
                    let data = json["data"] as? [String: Any], let result = data["result"] as? [[String: Any]]
                else { throw Unavailable(description: "bad answer \(response.status): \(response.body)") }
                return result.compactMap { item in
                    guard let pair = item["value"] as? [Any], let text = pair.last as? String, let value = Double(text) else { return nil }
                    return Sample(labels: item["metric"] as? [String: String] ?? [:], value: value)
                }
            } catch {
                lastError = error
                try await Task.sleep(for: .milliseconds(250))
            }
        }
        throw lastError ?? Unavailable(description: "no answer")
    }

    func stop() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: directory)
    }
}

/// A TCP port nothing listens on right now (bind to 0, read it back, close).
enum FreePort {
    struct Failed: Error {}

    static func find() throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw Failed() }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) == 0 && getsockname(descriptor, $0, &length) == 0 }
        }
        guard bound else { throw Failed() }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
