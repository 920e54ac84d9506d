// A Hummingbird app with health-exporter mounted on its own port:
//   swift run --package-path Integrations HummingbirdHealthExample --port 8080
//   curl localhost:8080/hello; curl -X POST localhost:8080/toggle; curl 'localhost:8080/readyz?verbose'; curl localhost:8080/metrics
import ArgumentParser
import Atomics
import HealthExporter
import HealthExporterHummingbird
import Hummingbird
import Logging
import Metrics
import ServiceLifecycle
import UnixSignals
import Telemetry

@main
struct HummingbirdHealthExample: AsyncParsableCommand {
    @Option(help: "Port for the app, its health routes and /metrics.")
    var port = 8080

    func run() async throws {
        let logger = Logger(label: "hummingbird-health-example")
        let failing = ManagedAtomic(false)
        // One closure check, run every second; POST /toggle flips it.
        let health = try HealthService(
            checks: [.init("example", interval: .seconds(1), failureThreshold: 1) {
                if failing.load(ordering: .relaxed) { throw CheckFailure(.status, "toggled off by POST /toggle") }
            }],
            logger: logger)
        MetricsSystem.bootstrap(SwiftMetricsFactory(registry: health.registry))
        let hello = Counter(label: "example_hello_requests_total", dimensions: [("route", "/hello")])

        let router = Router()
        router.get("hello") { _, _ in
            hello.increment()
            return "Hello\n"
        }
        router.post("toggle") { _, _ in
            let nowFailing = !failing.loadThenLogicalXor(with: true, ordering: .relaxed)
            return nowFailing ? "example check: failing\n" : "example check: passing\n"
        }
        router.addHealthRoutes(health)
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)), logger: logger)
        try await ServiceGroup(services: [health, app], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger).run()
    }
}
