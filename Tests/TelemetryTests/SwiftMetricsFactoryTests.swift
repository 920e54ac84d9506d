import CoreMetrics
import InMemoryLogging
import Logging
import TestSupport
import Testing

@testable import Telemetry

/// swift-metrics through ``SwiftMetricsFactory``: what an application's and
/// its libraries' metrics look like on the exporter's `/metrics`. The factory
/// is passed explicitly (`factory:`), so these tests never touch the global
/// `MetricsSystem`.
@Suite("swift-metrics backend on the registry")
struct SwiftMetricsFactoryTests {
    private static func make() -> (SwiftMetricsFactory, MetricsRegistry, InMemoryLogHandler) {
        let registry = MetricsRegistry(clock: { WallClockTimestamp(nanosecondsSinceEpoch: 1_795_676_400_000_000_000) })
        let handler = InMemoryLogHandler()
        let factory = SwiftMetricsFactory(registry: registry, logger: Logger(label: "test", factory: { _ in handler }))
        return (factory, registry, handler)
    }

    @Test("an app counter shows with its dimensions as labels, in text and OpenMetrics; promtool is clean")
    func counterWithLabels() throws {
        let (factory, registry, _) = Self.make()
        let hello = CoreMetrics.Counter(label: "example_hello_requests_total", dimensions: [("route", "/hello")], factory: factory)
        hello.increment()
        hello.increment(by: 2)
        // The same label and dimensions, written in another order, is the same series.
        CoreMetrics.Counter(label: "http.requests", dimensions: [("method", "GET"), ("code", "200")], factory: factory).increment()
        CoreMetrics.Counter(label: "http.requests", dimensions: [("code", "200"), ("method", "GET")], factory: factory).increment()

        let text = registry.render(.prometheus)
        #expect(text.contains("# TYPE example_hello_requests_total counter\nexample_hello_requests_total{route=\"/hello\"} 3\n"))
        #expect(text.contains("http_requests_total{code=\"200\",method=\"GET\"} 2\n"), "sanitized, _total added, labels sorted")
        let open = registry.render(.openMetrics)
        #expect(open.contains("# TYPE example_hello_requests counter\nexample_hello_requests_total{route=\"/hello\"} 3\n"))
        #expect(open.hasSuffix("# EOF\n"))
        let result = try Promtool.checkMetrics(text)
        #expect(result.status == 0 && result.output == "", "promtool said: \(result.output)")
    }

    @Test("timers are histograms in seconds, aggregating recorders histograms, meters and plain recorders gauges")
    func kinds() throws {
        let (factory, registry, _) = Self.make()
        CoreMetrics.Timer(label: "job_duration_seconds", dimensions: [("job", "sync")], factory: factory).recordMilliseconds(30)
        CoreMetrics.Recorder(label: "batch_size", factory: factory).record(7)
        CoreMetrics.Recorder(label: "queue_depth", aggregate: false, factory: factory).record(4)
        let meter = CoreMetrics.Meter(label: "in_flight", factory: factory)
        meter.set(5)
        meter.increment(by: 2)
        meter.decrement(by: 4)
        let floating = CoreMetrics.FloatingPointCounter(label: "bytes_total", factory: factory)
        floating.increment(by: 1.5)
        floating.increment(by: -3)  // a counter only goes up: ignored

        let text = registry.render(.prometheus)
        #expect(text.contains("job_duration_seconds_bucket{job=\"sync\",le=\"0.025\"} 0\n"))
        #expect(text.contains("job_duration_seconds_bucket{job=\"sync\",le=\"0.05\"} 1\n"))
        #expect(text.contains("job_duration_seconds_sum{job=\"sync\"} 0.03\n"))
        #expect(text.contains("batch_size_bucket{le=\"10\"} 1\n"))
        #expect(text.contains("# TYPE queue_depth gauge\nqueue_depth 4\n"))
        #expect(text.contains("in_flight 3\n"))
        #expect(text.contains("bytes_total 1.5\n"))
        let result = try Promtool.checkMetrics(text)
        #expect(result.status == 0 && result.output == "", "promtool said: \(result.output)")
    }

    @Test("a conflicting registration discards its updates, is logged with the label and counted; the first owner keeps working")
    func conflict() throws {
        let (factory, registry, log) = Self.make()
        let jobs = CoreMetrics.Counter(label: "jobs_total", factory: factory)
        let clash = CoreMetrics.Meter(label: "jobs_total", factory: factory)  // a gauge under a counter's name
        let otherLabels = CoreMetrics.Counter(label: "jobs_total", dimensions: [("queue", "a")], factory: factory)
        clash.set(99)
        otherLabels.increment(by: 50)
        jobs.increment()

        let text = registry.render(.prometheus)
        #expect(text.contains("jobs_total 1\n"))
        #expect(!text.contains("99") && !text.contains("queue=\"a\""))
        #expect(text.contains("health_exporter_swift_metrics_errors_total{reason=\"conflictingRegistration\"} 2\n"))
        #expect(log.entries.count == 2)
        #expect(log.entries.allSatisfy { $0.level == .error && $0.metadata["label"] == "jobs_total" })
    }

    @Test("names and dimension names outside Prometheus's alphabet are sanitized, not refused")
    func sanitizing() {
        let (factory, registry, _) = Self.make()
        CoreMetrics.Meter(label: "2xx.rate-per/s", dimensions: [("peer.service", "db")], factory: factory).set(1)
        #expect(registry.render(.prometheus).contains("_2xx_rate_per_s{peer_service=\"db\"} 1\n"))
    }

    @Test("destroy removes the series from the exposition; reset zeroes a counter")
    func destroyAndReset() {
        let (factory, registry, _) = Self.make()
        let kept = CoreMetrics.Counter(label: "events_total", dimensions: [("kind", "kept")], factory: factory)
        let gone = CoreMetrics.Counter(label: "events_total", dimensions: [("kind", "gone")], factory: factory)
        kept.increment(by: 4)
        gone.increment()
        kept.reset()
        gone.destroy()
        let timer = CoreMetrics.Timer(label: "t_seconds", factory: factory)
        timer.recordNanoseconds(1)
        timer.destroy()
        let text = registry.render(.prometheus)
        #expect(text.contains("events_total{kind=\"kept\"} 0\n"))
        #expect(!text.contains("kind=\"gone\""))
        #expect(!text.contains("t_seconds_count"))
    }
}
