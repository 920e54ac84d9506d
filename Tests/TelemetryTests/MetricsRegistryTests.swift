import NIOCore
import TestSupport
import Testing

@testable import Telemetry

@Suite("Metrics registry and exposition formats")
struct MetricsRegistryTests {
    static let created = WallClockTimestamp(nanosecondsSinceEpoch: 1_795_676_400_500_000_000)

    /// One family of each type, with values that exercise number spelling and escaping.
    static func sampleRegistry() throws -> MetricsRegistry {
        let registry = MetricsRegistry(clock: { created })
        let requests = try registry.counter("app_requests_total", help: "Requests by path.\nSecond line with \\ backslash and \"quotes\".", labels: ["path", "code"])
        try requests.labels("/b", "200").increment(by: 3)
        try requests.labels("/a", "503").increment()
        try requests.labels("/a", "200").increment(by: 0.5)
        try requests.labels("we\"ird\\\nvalue", "200").increment()
        let temperature = try registry.gauge("app_temperature_celsius", help: "A gauge.", labels: ["room"])
        try temperature.labels("hall").set(21.5)
        try temperature.labels("attic").set(-3)
        try temperature.labels("void").set(.nan)
        try temperature.labels("sun").set(.infinity)
        let latency = try registry.histogram("app_latency_seconds", help: "A histogram.", labels: ["path"], buckets: [0.1, 1, 10])
        let a = try latency.labels("/a")
        for value in [0.05, 0.1, 0.5, 5, 50] { a.observe(value) }
        try registry.gauge("app_info", help: "No labels.").labels().set(1)
        _ = try registry.counter("app_unused_total", help: "A family with no series is not rendered.")
        return registry
    }

    @Test("Prometheus text 0.0.4 matches its golden file")
    func prometheusGolden() throws {
        try Golden.check(try Self.sampleRegistry().render(.prometheus), fixture: "sample.prom")
    }

    @Test("OpenMetrics 1.0 matches its golden file: _created, unsuffixed counter families, # EOF")
    func openMetricsGolden() throws {
        let text = try Self.sampleRegistry().render(.openMetrics)
        #expect(text.hasSuffix("# EOF\n"))
        #expect(text.contains("# TYPE app_requests counter\n"))
        try Golden.check(text, fixture: "sample.om")
    }

    @Test("promtool check metrics finds nothing to complain about")
    func promtoolClean() throws {
        let result = try Promtool.checkMetrics(try Self.sampleRegistry().render(.prometheus))
        #expect(result.status == 0)
        #expect(result.output == "", "promtool said: \(result.output)")
    }

    @Test("promtool notices a bad exposition (so the clean result above means something)")
    func promtoolNotices() throws {
        let result = try Promtool.checkMetrics("# HELP bad_metric x\n# TYPE bad_metric counter\nbad_metric 1\n")
        #expect(result.output.contains("counter metrics should have \"_total\" suffix"))
    }

    @Test("families sort by name and series by label values, whatever the creation order")
    func ordering() throws {
        let registry = MetricsRegistry()
        let zeta = try registry.gauge("zeta", help: "z", labels: ["k"])
        let alpha = try registry.gauge("alpha", help: "a", labels: ["k"])
        for key in ["c", "a", "b"] {
            try zeta.labels(key).set(1)
            try alpha.labels(key).set(1)
        }
        let lines = registry.render(.prometheus).split(separator: "\n").filter { !$0.hasPrefix("#") }
        #expect(lines == [#"alpha{k="a"} 1"#, #"alpha{k="b"} 1"#, #"alpha{k="c"} 1"#, #"zeta{k="a"} 1"#, #"zeta{k="b"} 1"#, #"zeta{k="c"} 1"#])
    }

    @Test("the same definition registered twice returns the same family")
    func idempotent() throws {
        let registry = MetricsRegistry()
        let first = try registry.counter("x_total", help: "h", labels: ["a"])
        let second = try registry.counter("x_total", help: "h", labels: ["a"])
        #expect(first === second)
        #expect(try first.labels("1") === second.labels("1"))
    }

    @Test("a conflicting registration throws, naming both definitions")
    func conflict() throws {
        let registry = MetricsRegistry()
        _ = try registry.counter("x_total", help: "h", labels: ["a"])
        do {
            _ = try registry.gauge("x_total", help: "h", labels: ["a"])
            Issue.record("expected a conflict")
        } catch {
            #expect(error.code == .conflictingRegistration)
            #expect(error.message == #"metric x_total is already registered as counter x_total(a) help "h"; cannot register it as gauge x_total(a) help "h""#)
        }
        #expect(throws: RegistryError.self) { try registry.counter("x_total", help: "h", labels: ["b"]) }
        #expect(throws: RegistryError.self) { try registry.counter("x_total", help: "other", labels: ["a"]) }
    }

    @Test("invalid names, labels and buckets are refused")
    func refused() {
        let r = MetricsRegistry()
        #expect(throws: RegistryError.self) { try r.gauge("1bad", help: "") }
        #expect(throws: RegistryError.self) { try r.gauge("bad\nname", help: "") }
        #expect(throws: RegistryError.self) { try r.counter("requests", help: "") }
        #expect(throws: RegistryError.self) { try r.gauge("ok", help: "", labels: ["__reserved"]) }
        #expect(throws: RegistryError.self) { try r.gauge("ok", help: "", labels: ["a", "a"]) }
        #expect(throws: RegistryError.self) { try r.gauge("ok", help: "", labels: ["bad-label"]) }
        #expect(throws: RegistryError.self) { try r.histogram("h", help: "", labels: ["le"], buckets: [1]) }
        #expect(throws: RegistryError.self) { try r.histogram("h", help: "", buckets: [2, 1]) }
        #expect(throws: RegistryError.self) { try r.histogram("h", help: "", buckets: []) }
        #expect(throws: RegistryError.self) { try r.histogram("h", help: "", buckets: [1, .infinity]) }
        #expect(throws: RegistryError.self) { try r.gauge("g", help: "", labels: ["a"]).labels() }
        #expect(r.render(.prometheus) == "", "nothing half-registered")
    }

    @Test("a hostile label value cannot forge a series")
    func labelInjection() throws {
        let registry = MetricsRegistry()
        try registry.gauge("g", help: "h", labels: ["check"]).labels("x\"} 1\nforged_metric{a=\"b").set(1)
        let text = registry.render(.prometheus)
        #expect(text.split(separator: "\n").filter { $0.hasPrefix("forged_metric") }.isEmpty)
        let result = try Promtool.checkMetrics(text)
        #expect(result.status == 0)
    }

    @Test("concurrent updates from many tasks are all counted")
    func concurrency() async throws {
        let registry = MetricsRegistry()
        let counter = try registry.counter("c_total", help: "h").labels()
        let histogram = try registry.histogram("h", help: "h", buckets: [0.5]).labels()
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    for index in 0..<10_000 {
                        counter.increment()
                        histogram.observe(index.isMultiple(of: 2) ? 0.25 : 1)
                    }
                }
            }
        }
        #expect(counter.value == 80_000)
        #expect(histogram.count == 80_000)
        #expect(histogram.cumulativeCounts == [40_000, 80_000])
        #expect(histogram.sum == 40_000 * 0.25 + 40_000)
    }

    @Test("negotiation: OpenMetrics only when asked for")
    func negotiation() {
        #expect(ExpositionFormat.negotiate(accept: nil) == .prometheus)
        #expect(ExpositionFormat.negotiate(accept: "*/*") == .prometheus)
        #expect(ExpositionFormat.negotiate(accept: "text/plain;version=0.0.4") == .prometheus)
        #expect(
            ExpositionFormat.negotiate(
                accept: "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1"
            ) == .openMetrics)
        #expect(ExpositionFormat.negotiate(accept: "application/openmetrics-text;q=0, text/plain") == .prometheus)
    }
}
