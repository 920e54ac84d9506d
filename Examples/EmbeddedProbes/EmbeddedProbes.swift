// A Swift service embedding health-exporter: its own checks as closures, run
// in the background, the probe endpoints plus /metrics on a management port
// beside the service's own work (HealthService), and its swift-metrics on the
// same /metrics (SwiftMetricsFactory).
//
//   swift run EmbeddedProbesExample
//   curl 'localhost:9090/readyz?verbose'; curl localhost:9090/metrics
import HealthExporter
import Logging
import Metrics
import ServiceLifecycle
import Telemetry
import UnixSignals

/// Stands in for the service's real work and its dependency.
actor Cache {
    private var warm = false

    func warmUp() async throws {
        try await Task.sleep(for: .seconds(2))
        warm = true
    }

    func ping() throws {
        guard warm else { throw CheckFailure(.pending, "cache is still warming up") }
    }
}

struct MyService: Service {
    let cache: Cache

    func run() async throws {
        try await cache.warmUp()
        try await gracefulShutdown()
    }
}

@main
enum EmbeddedProbes {
    static func main() async throws {
        let logger = Logger(label: "my-service")
        let cache = Cache()

        // The checks, the scheduler, the metrics and the probe server on a management port, in one call.
        let health = try HealthService(
            checks: [.init("cache", probes: [.readiness, .startup], interval: .seconds(1), timeout: .milliseconds(500)) { try await cache.ping() }],
            listen: ListenAddress(host: "127.0.0.1", port: 9090),
            logger: logger)
        // The app's and its libraries' swift-metrics on the same /metrics.
        MetricsSystem.bootstrap(SwiftMetricsFactory(registry: health.registry))
        Counter(label: "my_service_starts_total").increment()

        try await ServiceGroup(
            services: [health, MyService(cache: cache)],
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger
        ).run()
    }
}
