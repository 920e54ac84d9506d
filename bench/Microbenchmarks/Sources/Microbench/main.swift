// The hot paths, one scenario at a time, N times:
//   Microbench <scenario> <N>    runs it N times (valgrind's heap summary,
//                                N = 0 against a large N, gives allocations per operation)
//   Microbench time              nanoseconds per operation of every scenario
import CoreMetrics
import HealthExporter
import Logging
import NIOCore
import Telemetry

/// One hot path, set up once and then run `n` times.
struct Scenario {
    let name: String
    let what: String
    let run: (Int) -> Void
}

func makeScenarios() throws -> [Scenario] {
    let registry = MetricsRegistry()
    let counter = try registry.counter("requests_total", help: "h", labels: ["probe", "code"]).labels("readyz", "200")
    let histogram = try registry.histogram("latency_seconds", help: "h", labels: ["probe"], buckets: [0.0001, 0.001, 0.01]).labels("readyz")
    let gauge = try registry.gauge("up", help: "h", labels: ["probe"]).labels("readyz")

    // The service's own families with 200 checks, as /metrics renders them.
    let checks = (0..<200).map { CheckConfig(name: "dep\($0)", kind: .simulated(.init())) }
    let metricsRegistry = MetricsRegistry()
    let metrics = try HealthMetrics(registry: metricsRegistry, checks: checks)
    for check in checks {
        metrics.recordRun(check: check.name, result: .success, reason: nil, duration: .milliseconds(3))
    }
    var output = ByteBufferAllocator().buffer(capacity: 512 * 1024)

    let monitor = HealthMonitor(checks: Array(checks.prefix(2)), logger: .init(label: "bench", factory: { _ in SwiftLogNoOpLogHandler() }))
    let router = ProbeRouter(monitor: monitor, admin: .init(), details: .always, version: "bench")
    var answerBuffer = ByteBufferAllocator().buffer(capacity: 1024)

    // An application's swift-metrics through the backend (handlers made once, as swift-metrics users do).
    let swiftMetrics = SwiftMetricsFactory(registry: MetricsRegistry())
    let appCounter = CoreMetrics.Counter(label: "example_hello_requests_total", dimensions: [("route", "/hello")], factory: swiftMetrics)
    let appTimer = CoreMetrics.Timer(label: "job_duration_seconds", dimensions: [("job", "sync")], factory: swiftMetrics)
    let appMeter = CoreMetrics.Meter(label: "in_flight", factory: swiftMetrics)

    return [
        Scenario(name: "sm-counter", what: "swift-metrics Counter increment") { n in
            for _ in 0..<n { appCounter.increment() }
        },
        Scenario(name: "sm-timer", what: "swift-metrics Timer record") { n in
            for index in 0..<n { appTimer.recordNanoseconds(Int64(index % 1000) * 1000) }
        },
        Scenario(name: "sm-meter", what: "swift-metrics Meter set") { n in
            for index in 0..<n { appMeter.set(Double(index)) }
        },
        Scenario(name: "counter", what: "counter increment") { n in
            for _ in 0..<n { counter.increment() }
        },
        Scenario(name: "histogram", what: "histogram observe (Duration)") { n in
            for index in 0..<n { histogram.observe(Duration.microseconds(index & 63)) }
        },
        Scenario(name: "gauge", what: "gauge set") { n in
            for index in 0..<n { gauge.set(index & 1 == 0) }
        },
        Scenario(name: "probe-record", what: "probe request metrics (counter + histogram, as per request)") { n in
            for index in 0..<n { metrics.recordProbeRequest(.readiness, code: 200, duration: .microseconds(index & 63)) }
        },
        Scenario(name: "render200", what: "/metrics render, 200 checks, into a reused buffer") { n in
            for _ in 0..<n {
                output.clear()
                metricsRegistry.render(.prometheus, into: &output)
            }
        },
        Scenario(name: "snapshot-read", what: "snapshot read + readiness verdict") { n in
            var passing = 0
            for _ in 0..<n where monitor.snapshot.verdict(for: .readiness).status.isHealthy { passing += 1 }
            precondition(passing == n)
        },
        Scenario(name: "answer-render", what: "route + encode a /readyz answer (per snapshot; per request for ?verbose)") { n in
            for _ in 0..<n {
                answerBuffer.clear()
                router.answer(ProbeRequest(method: .GET, path: "/readyz"), snapshot: monitor.snapshot)
                    .encode(into: &answerBuffer, includeBody: true, connection: .implicitKeepAlive)
            }
        },
    ]
}

let scenarios = try makeScenarios()
let arguments = Array(CommandLine.arguments.dropFirst())
if arguments.first == "time" {
    let clock = ContinuousClock()
    print("scenario        ns/op  what")
    for scenario in scenarios {
        let n = scenario.name == "render200" ? 2_000 : 1_000_000
        scenario.run(n / 10)  // warm up
        let elapsed = clock.measure { scenario.run(n) }
        let nanoseconds = Double(elapsed.components.seconds) * 1e9 + Double(elapsed.components.attoseconds) / 1e9
        print("\(scenario.name.padding(toLength: 14, withPad: " ", startingAt: 0)) \(String(format: "%6.0f", nanoseconds / Double(n)))  \(scenario.what)")
    }
} else if arguments.count == 2, let scenario = scenarios.first(where: { $0.name == arguments[0] }), let n = Int(arguments[1]) {
    scenario.run(n)
} else {
    print("usage: Microbench time | Microbench <\(scenarios.map(\.name).joined(separator: "|"))> <N>")
}
