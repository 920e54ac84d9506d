// Runs the metric hot paths N times (argument 1) so that valgrind's heap
// summary, compared between N = 0 and a large N, shows allocations per update.
import Telemetry

let iterations = Int(CommandLine.arguments.dropFirst().first ?? "0") ?? 0
let registry = MetricsRegistry()
let counter = try registry.counter("requests_total", help: "h", labels: ["probe", "code"]).labels("readyz", "200")
let histogram = try registry.histogram("latency_seconds", help: "h", labels: ["probe"], buckets: [0.0001, 0.001, 0.01]).labels("readyz")
let gauge = try registry.gauge("up", help: "h", labels: ["probe"]).labels("readyz")

for index in 0..<iterations {
    counter.increment()
    histogram.observe(Double(index & 1023) * 1e-5)
    histogram.observe(Duration.microseconds(index & 63))
    gauge.set(index & 1 == 0)
}
print("counter \(counter.value) histogram \(histogram.count)")
