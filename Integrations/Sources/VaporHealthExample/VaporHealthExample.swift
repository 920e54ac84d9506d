// A Vapor app with health-exporter mounted on its own port:
//   swift run --package-path Integrations VaporHealthExample --port 8080
//   curl localhost:8080/hello; curl -X POST localhost:8080/toggle; curl 'localhost:8080/readyz?verbose'; curl localhost:8080/metrics
import Atomics
import HealthExporter
import HealthExporterVapor
import Logging
import Metrics
import Telemetry
import Vapor

@main
enum VaporHealthExample {
    static func main() async {
        do {
            try await serve()
        } catch {
            // A bad flag or a port in use: one line, not a crash report.
            FileHandle.standardError.write(Data("VaporHealthExample: \(error)\n".utf8))
            exit(1)
        }
    }

    static func serve() async throws {
        // Vapor's own `serve` command reads --port (and --hostname, default 127.0.0.1);
        // `VaporHealthExample --port N` means `serve --port N`.
        var environment = try Environment.detect()
        if environment.arguments.count > 1, environment.arguments[1].hasPrefix("-") {
            environment.arguments.insert("serve", at: 1)
        }
        try LoggingSystem.bootstrap(from: &environment)
        let app = try await Application.make(environment)
        let failing = ManagedAtomic(false)
        // One closure check, run every second; POST /toggle flips it.
        let health = try HealthService(
            checks: [.init("example", interval: .seconds(1), failureThreshold: 1) {
                if failing.load(ordering: .relaxed) { throw CheckFailure(.status, "toggled off by POST /toggle") }
            }],
            logger: app.logger)
        MetricsSystem.bootstrap(SwiftMetricsFactory(registry: health.registry))
        let hello = Counter(label: "example_hello_requests_total", dimensions: [("route", "/hello")])

        app.get("hello") { _ in
            hello.increment()
            return "Hello\n"
        }
        app.post("toggle") { _ in
            let nowFailing = !failing.loadThenLogicalXor(with: true, ordering: .relaxed)
            return nowFailing ? "example check: failing\n" : "example check: passing\n"
        }
        app.addHealthRoutes(health)
        // The checks run beside the app and stop with it.
        let checks = Task { try await health.run() }
        do {
            try await app.execute()
        } catch {
            checks.cancel()
            try await app.asyncShutdown()
            throw error
        }
        checks.cancel()
        try await app.asyncShutdown()
    }
}
