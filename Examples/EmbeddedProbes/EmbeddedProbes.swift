// A Swift service embedding health-exporter: its own checks as closures, run
// in the background by the scheduler, and the probe endpoints plus /metrics on
// a management port beside the service's own work.
//
//   swift run EmbeddedProbesExample
//   curl 'localhost:9090/readyz?verbose'; curl localhost:9090/metrics
import HealthExporter
import Logging
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

        // 1. Describe the checks: name, probes, interval, timeout, thresholds.
        let cacheCheck = CheckConfig(
            name: "cache", kind: .custom, probes: [.readiness, .startup], interval: .seconds(1), timeout: .milliseconds(500))
        let configs = [cacheCheck]

        // 2. Metrics and the monitor that holds the latest results.
        let registry = MetricsRegistry()
        try ProcessMetrics.register(in: registry)
        let metrics = try HealthMetrics(registry: registry, checks: configs)
        let monitor = HealthMonitor(checks: configs, logger: logger, metrics: metrics, heartbeatTimeout: .seconds(5))

        // 3. The scheduler runs each check in the background; probes never wait on it.
        let scheduler = CheckScheduler(
            checks: [(config: cacheCheck, check: ClosureHealthCheck { try await cache.ping() })],
            monitor: monitor, clock: ContinuousClock(), logger: logger)

        // 4. Probes and /metrics on the management port.
        let server = ProbeServer(
            configuration: .init(listen: ListenAddress(host: "127.0.0.1", port: 9090), metrics: metrics),
            monitor: monitor, logger: logger)

        try await ServiceGroup(
            services: [scheduler, server, MyService(cache: cache)],
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger
        ).run()
    }
}
