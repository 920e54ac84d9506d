import Foundation
import TestSupport
import NIOCore
import NIOPosix
import Testing

/// A Prometheus server on a free loopback port with a 1 s scrape interval,
/// its data in a temporary directory removed on stop.
final class RealPrometheus {
    struct Sample { var labels: [String: String]; var value: Double }
    struct Unavailable: Error, CustomStringConvertible { let description: String }

    let process = Process()
    let directory: URL
    let port: Int

    init(scraping target: String, job: String = "health-exporter") async throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/prometheus") else {
            throw Unavailable(description: "prometheus is not installed (Debian package prometheus; scripts/test installs it)")
        }
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("he-prom-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let config = """
            global: {scrape_interval: 1s, evaluation_interval: 1s}
            scrape_configs:
              - job_name: \(job)
                static_configs: [{targets: ["\(target)"]}]
            """
        try config.write(to: directory.appendingPathComponent("prometheus.yml"), atomically: true, encoding: .utf8)
        port = try await FreePort.find()
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
            _ = process.waitForExit()
        }
        try? FileManager.default.removeItem(at: directory)
    }
}
