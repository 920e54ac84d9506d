import Foundation
import Testing

@testable import HealthExporter

/// Every PromQL expression shipped in `dashboards/` and `deploy/prometheus/`,
/// run against a real Prometheus that has scraped the real binary: each must
/// parse and (for the dashboard) return series, so no typo in a metric or
/// label name can pass.
@Suite("Dashboard and alert expressions against live data", .serialized, .timeLimit(.minutes(2)))
struct DashboardQueryTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Grafana's variables as a query sees them with "All" selected.
    static func substitute(_ expression: String) -> String {
        expression
            .replacingOccurrences(of: "$__rate_interval", with: "1m")
            .replacingOccurrences(of: "$__range", with: "5m")
            .replacingOccurrences(of: "$job", with: ".+")
            .replacingOccurrences(of: "$instance", with: ".+")
            .replacingOccurrences(of: "$check", with: ".+")
    }

    static func dashboard() throws -> (panels: [String], variables: [(query: String, label: String)]) {
        let data = try Data(contentsOf: repository.appendingPathComponent("dashboards/health-exporter.json"))
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let panels = try #require(json["panels"] as? [[String: Any]])
        let expressions = panels.flatMap { ($0["targets"] as? [[String: Any]] ?? []).compactMap { $0["expr"] as? String } }
        let templating = try #require((json["templating"] as? [String: Any])?["list"] as? [[String: Any]])
        var variables: [(String, String)] = []
        for variable in templating where variable["type"] as? String == "query" {
            // What Grafana runs is query.query; definition is only shown in the editor, so both must agree.
            let query = try #require((variable["query"] as? [String: Any])?["query"] as? String ?? variable["query"] as? String)
            #expect(variable["definition"] as? String == query, "variable \(variable["name"] ?? "?"): definition and query differ")
            guard query.hasPrefix("label_values("), let comma = query.lastIndex(of: ",") else {
                Issue.record("unsupported variable query \(query)")
                continue
            }
            // label_values(<selector>, <label>)
            let selector = query[query.index(query.startIndex, offsetBy: "label_values(".count)..<comma]
            let label = query[query.index(after: comma)...].dropLast().trimmingCharacters(in: .whitespaces)
            variables.append((String(selector), label))
        }
        return (expressions, variables)
    }

    static func alertExpressions() throws -> [String] {
        let text = try String(contentsOf: repository.appendingPathComponent("deploy/prometheus/health-exporter.rules.yml"), encoding: .utf8)
        return text.split(separator: "\n").compactMap { line in
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            return trimmed.hasPrefix("expr: ") ? String(trimmed.dropFirst("expr: ".count)) : nil
        }
    }

    @Test("every dashboard query returns series, every variable finds its label, every alert expression parses")
    func liveQueries() async throws {
        let (panels, variables) = try Self.dashboard()
        let alerts = try Self.alertExpressions()
        #expect(panels.count >= 15)
        #expect(variables.count == 3)
        #expect(alerts.count == 6)

        // The demo, with gRPC on and a tls check against openssl s_server (a
        // certificate with 10 days left), so those panels and the expiry alert have data too.
        let authority = try TestCertificates()
        defer { authority.remove() }
        let tlsServer = try await RealOpenSSLServer(leaf: try authority.leaf(until: 10 * 86_400))
        defer { tlsServer.stop() }
        let tlsCheck = "  - {name: edge-certificate, kind: tls, address: 127.0.0.1:\(tlsServer.port), caFile: \(authority.caCertificate)}\n"
        let config = try TemporaryFile.write(DemoConfiguration.yaml + tlsCheck + "grpc: {listen: 127.0.0.1:0}\n", suffix: ".yaml")
        defer { TemporaryFile.remove(config) }
        let exporter = try ExecutableUnderTest.Service(["--config", config, "--listen", "127.0.0.1:0"])
        let listening = try #require(exporter.waitForLine(containing: "\"msg\":\"listening\""))
        let port = try #require(ExecutableUnderTest.port(fromListeningLine: listening))
        let grpcListening = try #require(exporter.waitForLine(containing: "\"msg\":\"grpc listening\""))
        let grpcPort = try #require(ExecutableUnderTest.port(fromListeningLine: grpcListening))
        let watch = try GRPCHealthClient.Watch(port: grpcPort)
        defer { watch.stop() }
        let prometheus = try await RealPrometheus(scraping: "127.0.0.1:\(port)", job: "health-exporter")
        defer { prometheus.stop() }

        // Traffic and a drill, spread over several scrapes so rates have two points.
        let client = try await RawHTTPClient.connect(port: port)
        for round in 0..<8 {
            for _ in 0..<5 { _ = try await client.request("GET", "/readyz") }
            _ = try GRPCHealthClient.check(port: grpcPort, "readiness")
            _ = try await client.request("POST", round.isMultiple(of: 2) ? "/simulate_db_failure" : "/simulate_db_recovery")
            try await Task.sleep(for: .milliseconds(600))
        }
        await client.close()
        // Long enough: rates need two scrapes of every series inside their window.
        for _ in 0..<80 {
            if try await !prometheus.query("rate(health_probe_requests_total[1m])").isEmpty { break }
            try await Task.sleep(for: .milliseconds(250))
        }

        var proven = 0
        for expression in panels {
            let series = try await prometheus.query(Self.substitute(expression))
            #expect(!series.isEmpty, "dashboard query returns no series: \(expression)")
            if !series.isEmpty { proven += 1 }
        }
        for (selector, label) in variables {
            let series = try await prometheus.query(Self.substitute(selector))
            let values = Set(series.compactMap { $0.labels[label] })
            #expect(!values.isEmpty, "variable query finds no \(label): \(selector)")
            if !values.isEmpty { proven += 1 }
        }
        for expression in alerts {
            // Must parse (query() throws on a 400); the metrics it reads must exist.
            _ = try await prometheus.query(expression)
            let names = Self.metricNames(in: expression)
            #expect(!names.isEmpty)
            for name in names {
                #expect(!(try await prometheus.query("count(\(name))")).isEmpty, "alert reads \(name), which has no series: \(expression)")
            }
            proven += 1
        }
        print("dashboard and alert expressions proven against live data: \(proven) (\(panels.count) panel queries, \(variables.count) variables, \(alerts.count) alerts)")
        #expect(exporter.stopSkippingDrain() == 0)
    }

    static func metricNames(in expression: String) -> [String] {
        let pattern = try! NSRegularExpression(pattern: #"\b(up|health_[a-z_]+|process_[a-z_]+)\b(?=\s*([\{\[\)\-+*/<>=]|$))"#)
        let range = NSRange(expression.startIndex..., in: expression)
        return pattern.matches(in: expression, range: range).compactMap { Range($0.range(at: 1), in: expression).map { String(expression[$0]) } }
    }
}
