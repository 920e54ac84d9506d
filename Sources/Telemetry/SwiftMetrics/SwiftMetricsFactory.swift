import CoreMetrics
import Logging

/// A swift-metrics backend on a ``MetricsRegistry``: after
/// `MetricsSystem.bootstrap(SwiftMetricsFactory(registry: registry))`, every
/// library's and the application's swift-metrics appear on the same
/// `/metrics` as the health families, in both exposition formats.
///
/// Mapping (the swift-metrics label is the metric name, sanitized by
/// Prometheus rules: `http.requests` → `http_requests`):
///
/// | swift-metrics | Prometheus |
/// |---|---|
/// | `Counter`, `FloatingPointCounter` | counter; `_total` appended when missing |
/// | `Meter`, `Recorder(aggregate: false)` | gauge |
/// | `Recorder` (aggregating) | histogram with ``recorderBuckets`` |
/// | `Timer` | histogram in seconds with ``timerBuckets`` |
///
/// Dimensions become labels, sorted by name, so the order they are written in
/// does not matter. A label that is already registered with another type or
/// other dimension names cannot be honoured: the handler discards updates,
/// the conflict is logged once per registration at `error`, and
/// `health_exporter_swift_metrics_errors_total` counts it. Nothing crashes.
/// `destroy()` removes the series from the exposition.
///
/// Updates touch only the series (an atomic add, or a histogram's bucket):
/// no allocation and no lock after the handler is made.
public final class SwiftMetricsFactory: MetricsFactory, Sendable {
    /// Timer buckets, in seconds: 1 ms to 10 s.
    public static let defaultTimerBuckets: [Double] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]
    /// Recorder buckets, unitless: 1 to 100 000 in 1-2.5-5 steps.
    public static let defaultRecorderBuckets: [Double] = [1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 25000, 50000, 100_000]

    public let registry: MetricsRegistry
    public let timerBuckets: [Double]
    public let recorderBuckets: [Double]
    private let logger: Logger
    private let errors: MetricFamily<Counter>?

    /// - Parameters:
    ///   - registry: Where the series are registered and rendered from.
    ///   - timerBuckets: Histogram bounds for timers, in seconds.
    ///   - recorderBuckets: Histogram bounds for aggregating recorders.
    ///   - logger: Hears registrations that cannot be honoured.
    public init(
        registry: MetricsRegistry,
        timerBuckets: [Double] = SwiftMetricsFactory.defaultTimerBuckets,
        recorderBuckets: [Double] = SwiftMetricsFactory.defaultRecorderBuckets,
        logger: Logger = Logger(label: "health-exporter.swift-metrics")
    ) {
        self.registry = registry
        self.timerBuckets = timerBuckets
        self.recorderBuckets = recorderBuckets
        self.logger = logger
        self.errors = try? registry.counter(
            "health_exporter_swift_metrics_errors_total",
            help: "swift-metrics registrations that could not be honoured (their updates are discarded), by reason.",
            labels: ["reason"])
    }

    public func makeCounter(label: String, dimensions: [(String, String)]) -> any CounterHandler {
        makeCounterSeries(label: label, dimensions: dimensions, swiftType: "Counter") ?? DiscardingHandler()
    }

    public func makeFloatingPointCounter(label: String, dimensions: [(String, String)]) -> any FloatingPointCounterHandler {
        makeCounterSeries(label: label, dimensions: dimensions, swiftType: "FloatingPointCounter") ?? DiscardingHandler()
    }

    public func makeMeter(label: String, dimensions: [(String, String)]) -> any MeterHandler {
        makeGaugeSeries(label: label, dimensions: dimensions, swiftType: "Meter") ?? DiscardingHandler()
    }

    public func makeRecorder(label: String, dimensions: [(String, String)], aggregate: Bool) -> any RecorderHandler {
        guard aggregate else { return makeGaugeSeries(label: label, dimensions: dimensions, swiftType: "Recorder") ?? DiscardingHandler() }
        return makeHistogramSeries(label: label, dimensions: dimensions, buckets: recorderBuckets, swiftType: "Recorder") ?? DiscardingHandler()
    }

    public func makeTimer(label: String, dimensions: [(String, String)]) -> any TimerHandler {
        makeHistogramSeries(label: label, dimensions: dimensions, buckets: timerBuckets, swiftType: "Timer") ?? DiscardingHandler()
    }

    public func destroyCounter(_ handler: any CounterHandler) {
        (handler as? CounterSeriesHandler)?.release()
    }

    public func destroyFloatingPointCounter(_ handler: any FloatingPointCounterHandler) {
        (handler as? CounterSeriesHandler)?.release()
    }

    public func destroyMeter(_ handler: any MeterHandler) {
        (handler as? GaugeSeriesHandler)?.release()
    }

    public func destroyRecorder(_ handler: any RecorderHandler) {
        (handler as? GaugeSeriesHandler)?.release()
        (handler as? HistogramSeriesHandler)?.release()
    }

    public func destroyTimer(_ handler: any TimerHandler) {
        (handler as? HistogramSeriesHandler)?.release()
    }

    // MARK: - Registration

    private func makeCounterSeries(label: String, dimensions: [(String, String)], swiftType: String) -> CounterSeriesHandler? {
        var name = PrometheusName.metric(label)
        if !name.hasSuffix("_total") { name += "_total" }
        return register(label: label, name: name, dimensions: dimensions, swiftType: swiftType) { name, labels throws(RegistryError) in
            try self.registry.counter(name, help: Self.help("counter", name), labels: labels)
        } handler: { CounterSeriesHandler(series: $0, release: $1) }
    }

    private func makeGaugeSeries(label: String, dimensions: [(String, String)], swiftType: String) -> GaugeSeriesHandler? {
        register(label: label, name: PrometheusName.metric(label), dimensions: dimensions, swiftType: swiftType) { name, labels throws(RegistryError) in
            try self.registry.gauge(name, help: Self.help("gauge", name), labels: labels)
        } handler: { GaugeSeriesHandler(series: $0, release: $1) }
    }

    private func makeHistogramSeries(
        label: String, dimensions: [(String, String)], buckets: [Double], swiftType: String
    ) -> HistogramSeriesHandler? {
        register(label: label, name: PrometheusName.metric(label), dimensions: dimensions, swiftType: swiftType) { name, labels throws(RegistryError) in
            try self.registry.histogram(name, help: Self.help("histogram", name), labels: labels, buckets: buckets)
        } handler: { HistogramSeriesHandler(series: $0, release: $1) }
    }

    /// The one registration path: the family (found or made), the series for
    /// these dimensions, and a handler that can remove it again; nil, logged
    /// and counted when the registry refuses.
    private func register<Series, Handler>(
        label: String,
        name: String,
        dimensions: [(String, String)],
        swiftType: String,
        family makeFamily: (_ name: String, _ labels: [String]) throws(RegistryError) -> MetricFamily<Series>,
        handler makeHandler: (Series, @escaping @Sendable () -> Void) -> Handler
    ) -> Handler? {
        let (labelNames, values) = Self.labels(dimensions)
        do {
            let family = try makeFamily(name, labelNames)
            let series = try family.labels(values)
            return makeHandler(series, { family.removeSeries { $0 == values } })
        } catch {
            refused(label: label, swiftType: swiftType, error: error)
            return nil
        }
    }

    private func refused(label: String, swiftType: String, error: RegistryError) {
        logger.error(
            "swift-metrics \(swiftType) cannot be registered; its updates are discarded",
            metadata: ["label": "\(label)", "reason": "\(error.code)", "error": "\(error.message)"])
        (try? errors?.labels(error.code.description))?.increment()
    }

    /// Label names sorted, with their values in the same order.
    private static func labels(_ dimensions: [(String, String)]) -> (names: [String], values: [String]) {
        let sorted = dimensions.map { (PrometheusName.label($0.0), $0.1) }.sorted { $0.0 < $1.0 }
        return (sorted.map(\.0), sorted.map(\.1))
    }

    /// One help text per name and type, whatever the call site: swift-metrics has none.
    private static func help(_ type: String, _ name: String) -> String {
        "\(name) (a swift-metrics \(type))."
    }
}
