import Telemetry

/// The gRPC server's families, next to (not inside) `health_probe_requests_total`,
/// whose `code` is an HTTP status: mixing gRPC statuses into that label would
/// break every query that reads it as one.
///
/// - `health_grpc_requests_total{method,probe,code}`: method `Check`, `Watch`
///   or `List`; probe `livez`, `readyz`, `startupz`, `check` (a check's own
///   service), `unknown` or `all` (List); code the answer (`SERVING`,
///   `NOT_SERVING`, `SERVICE_UNKNOWN`, `NOT_FOUND`, `RESOURCE_EXHAUSTED`, `OK`).
///   A Watch counts once, with its first status.
/// - `health_grpc_watchers`: `Watch` streams open now.
public struct GRPCHealthMetrics: Sendable {
    private let requests: MetricFamily<Counter>

    public init(registry: MetricsRegistry, watchers: HealthWatchers) throws(RegistryError) {
        requests = try registry.counter(
            "health_grpc_requests_total", help: "grpc.health.v1 requests answered, by method, probe and answer.",
            labels: ["method", "probe", "code"])
        let open = try registry.gauge("health_grpc_watchers", help: "grpc.health.v1 Watch streams open now.")
        let gauge = try open.labels()
        // Read when scraped: nothing to keep in step as streams open and close.
        registry.addCollector { gauge.set(Double(watchers.count)) }
    }

    func count(method: String, probe: String, code: String) {
        // Labels are bounded by construction (see the type's documentation).
        (try? requests.labels(method, probe, code))?.increment()
    }
}
